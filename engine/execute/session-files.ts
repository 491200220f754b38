// Files of a session: where they live, who may read them, how big they may grow, and what a
// killed run left behind. A session's directory is private (0700), its files are removed as
// soon as they are read, and a directory whose engine is gone is removed at the next start.
import { spawn } from 'node:child_process';
import { accessSync, constants, fstatSync, mkdtempSync, readdirSync, readFileSync, readSync, rmSync, statfsSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { running, startedAtMs } from './process-table.ts';
import { EXIT, RunbookError } from '../errors.ts';

const PREFIX = 'runbook-session-';

/** /dev/shm is used only with this much room: a step may write fast, and RAM is all it has. */
const SHM_MIN_FREE = 1024 * 1024 * 1024;

/**
 * Where sessions keep their per-step files. A RAM-backed /dev/shm makes the per-step files
 * cheaper than a disk-backed /tmp; a small one (containers often get 64 MB) is passed over.
 */
export function scratchRoot(shm = '/dev/shm'): string {
  if (process.env.RUNBOOK_TMPDIR) return process.env.RUNBOOK_TMPDIR;
  try {
    accessSync(shm, constants.W_OK);
    const fs = statfsSync(shm);
    if (fs.bavail * fs.bsize >= SHM_MIN_FREE) return shm;
  } catch {
    /* no /dev/shm */
  }
  return tmpdir();
}

/** A new private directory for a session; its name carries the engine's pid for the next start's sweep. */
export function makeScratchDir(root: string): string {
  removeStaleScratch(root);
  try {
    return mkdtempSync(join(root, `${PREFIX}${process.pid}-`)); // mode 0700
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    const chosen = process.env.RUNBOOK_TMPDIR === root;
    throw new RunbookError(
      `cannot make the session's scratch directory in ${root} (${code}); nothing was run`,
      undefined,
      EXIT.usage,
      chosen
        ? 'RUNBOOK_TMPDIR must name an existing directory you can write to: create it, or unset RUNBOOK_TMPDIR.'
        : 'It is the temporary directory (TMPDIR): create it or make it writable, or set RUNBOOK_TMPDIR to a directory you can write to.',
    );
  }
}

/**
 * Removes session directories of engines that are gone (killed before they could tidy up):
 * a directory's pid is not running, or is running but started after the directory was made.
 */
export function removeStaleScratch(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m) continue;
    const dir = join(root, name);
    try {
      const st = statSync(dir);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      const pid = Number(m[1]);
      const started = startedAtMs(pid);
      const alive = pid !== process.pid && running(pid) && (started === undefined || started <= st.mtimeMs + 1000);
      if (pid !== process.pid && !alive) rmSync(dir, { recursive: true, force: true });
    } catch {
      /* gone already, or not ours */
    }
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The most of a step's output kept: more than any page shows, far less than memory allows. */
export const MAX_CAPTURE_BYTES = 8 * 1024 * 1024;

/** A capture file is cut back to its last MAX_CAPTURE_BYTES once it holds this much. */
export const CAPTURE_LIMIT_BYTES = 2 * MAX_CAPTURE_BYTES;

/** Reads a capture from an open file; bytes before `from` were dropped (the file was cut back). */
export function readCaptureFd(fd: number, from = 0): string {
  const size = fstatSync(fd).size;
  const start = Math.max(from, size - MAX_CAPTURE_BYTES, 0);
  const buffer = Buffer.alloc(size - start);
  const n = readSync(fd, buffer, 0, buffer.length, start);
  const text = buffer.toString('utf8', 0, n);
  if (start === 0) return text;
  return `[runbook: the first ${start} bytes of this output are not shown]\n${text.slice(text.indexOf('\n') + 1)}`;
}

/**
 * Frees all but the last MAX_CAPTURE_BYTES of a file that is still being written, without
 * moving what its writers see: a hole is punched over the head (util-linux `fallocate`, which
 * every Linux has; tmpfs, ext4, xfs and btrfs support it). Resolves false where it cannot.
 */
export function punchHead(file: string, size: number): Promise<boolean> {
  const length = Math.floor((size - MAX_CAPTURE_BYTES) / 65536) * 65536;
  if (length <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const child = spawn('fallocate', ['--punch-hole', '--keep-size', '--offset', '0', '--length', String(length), file], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** Space a file takes (a punched or truncated file's size says more than it holds). */
export function allocatedBytes(fd: number): number {
  const st = fstatSync(fd);
  return st.blocks === undefined ? st.size : st.blocks * 512;
}

/** Reads a file and removes it: scratch with a state dump in it does not stay around. */
export function takeFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  rmQuiet(file);
  return text;
}

export function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}
