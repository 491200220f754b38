// Files of a session: where they live, and reading a step's capture without trusting its size.
import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Where the session keeps its per-step files. A RAM-backed /dev/shm makes the per-step state dump
 * (one write per variable) about three times cheaper than a disk-backed /tmp.
 */
export function scratchRoot(): string {
  if (process.env.RUNBOOK_TMPDIR) return process.env.RUNBOOK_TMPDIR;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
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

/** A step's captured output; past MAX_CAPTURE_BYTES only the end is kept, and it says so. */
export function readCapture(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    return `[runbook: could not read the step's output: ${(e as Error).message}]\n`;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= MAX_CAPTURE_BYTES) return readFileSync(fd, 'utf8');
    const tail = Buffer.alloc(MAX_CAPTURE_BYTES);
    readSync(fd, tail, 0, MAX_CAPTURE_BYTES, size - MAX_CAPTURE_BYTES);
    const text = tail.toString('utf8');
    return `[runbook: the first ${size - MAX_CAPTURE_BYTES} bytes of this output are not shown]\n${text.slice(text.indexOf('\n') + 1)}`;
  } finally {
    closeSync(fd);
  }
}

export function readIfExists(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}
