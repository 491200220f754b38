// A snapshot of the machine's processes, to find everything a run or a step started: by parent
// chain (descendants of the session's holder or shell) and, as a second net, by the
// RUNBOOK_RUN / RUNBOOK_STEP variables every process of a run inherits unless it clears its
// environment. Linux reads /proc; elsewhere `ps` supplies the parent chain.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  zombie?: boolean; // exited, not yet reaped: nothing left to signal
  env?: Map<string, string>; // only the RUNBOOK_* variables, when readable
}

const HAS_PROC = process.platform === 'linux';

export function processTable(): ProcessInfo[] {
  return HAS_PROC ? fromProc() : fromPs();
}

function fromProc(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const info: ProcessInfo = { pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), zombie: fields[0] === 'Z' };
      try {
        const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
        if (environ.includes('RUNBOOK_RUN=')) {
          info.env = new Map();
          for (const entry of environ.split('\0')) {
            if (entry.startsWith('RUNBOOK_RUN=') || entry.startsWith('RUNBOOK_STEP=')) {
              const eq = entry.indexOf('=');
              info.env.set(entry.slice(0, eq), entry.slice(eq + 1));
            }
          }
        }
      } catch {
        /* another user's process */
      }
      out.push(info);
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}

function fromPs(): ProcessInfo[] {
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
  return (ps.stdout ?? '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every((n) => !Number.isNaN(n)))
    .map(([pid, ppid, pgid]) => ({ pid, ppid, pgid }));
}

export function descendants(table: ProcessInfo[], root: number): ProcessInfo[] {
  if (root <= 1) return []; // every process descends from 0 and 1
  const children = new Map<number, ProcessInfo[]>();
  for (const p of table) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid)!.push(p);
  }
  const found: ProcessInfo[] = [];
  const stack = [root];
  while (stack.length) {
    for (const child of children.get(stack.pop()!) ?? []) {
      found.push(child);
      stack.push(child.pid);
    }
  }
  return found;
}

/** Processes carrying the run's marker (and, if given, the step's). */
export function marked(table: ProcessInfo[], runId: string, step?: string): ProcessInfo[] {
  return table.filter((p) => p.env?.get('RUNBOOK_RUN') === runId && (step === undefined || p.env.get('RUNBOOK_STEP') === step));
}

/** Whether a process still runs (a zombie does not); pid reuse aside, as with any pid. */
export function running(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  if (HAS_PROC) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      return stat[stat.lastIndexOf(')') + 2] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When a process started (ms since the epoch, to the clock tick), or undefined where unknown. */
export function startedAtMs(pid: number): number | undefined {
  if (!HAS_PROC) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1]);
    return btime * 1000 + ticks * 10; // USER_HZ is 100 on every Linux that matters
  } catch {
    return undefined;
  }
}

/**
 * The direct children of one process, read again and again through a descriptor kept open: a
 * session asks after every step, and an open, a read and a close each time cost more than the
 * read. The descriptor stays with the process it was opened for: once that one is gone it reads
 * as having no children, never as whatever process has the pid next.
 */
export class ChildrenReader {
  private fd: number | undefined;
  private buffer: Buffer;

  constructor(
    private readonly pid: number,
    initialBytes = 4096,
  ) {
    this.buffer = Buffer.alloc(initialBytes);
  }

  /** The children now (none once the process is gone), or undefined when the kernel does not say. */
  read(): number[] | undefined {
    if (!HAS_PROC || this.pid <= 1) return undefined;
    try {
      this.fd ??= openSync(`/proc/${this.pid}/task/${this.pid}/children`, 'r');
      let length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      while (length === this.buffer.length) {
        this.buffer = Buffer.alloc(this.buffer.length * 2); // a process with thousands of children
        length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      }
      return this.buffer.toString('latin1', 0, length).split(' ').filter(Boolean).map(Number);
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      /* closed already */
    }
    this.fd = undefined;
  }
}

export function killPids(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    // 0 and negative numbers mean "my group" and "every process": never what a caller meant.
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
