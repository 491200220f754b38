// A snapshot of the machine's processes, to find everything a run or a step started: by parent
// chain (descendants of the session's shell) and by the RUNBOOK_RUN / RUNBOOK_STEP variables
// every process of a run inherits — which also finds processes that escaped their parent
// (`( cmd & )`, setsid). Linux reads /proc; elsewhere `ps` supplies the parent chain.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
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
      const info: ProcessInfo = { pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]) };
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
