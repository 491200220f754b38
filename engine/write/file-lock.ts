// A lock per file the engine rewrites, so two runs writing back into the same source cannot
// both check "unchanged since I read it" and then both rename over it (the second would drop
// the first's update). The lock is a file created exclusively in a directory of the engine's
// own (not beside the source), naming the holder's pid; a lock whose holder is gone is taken
// over. Writes are short, so a waiter polls for a few seconds before it gives up.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { running } from '../execute/process-table.ts';
import { ioError, resolveLink, WriteError } from './atomic-write.ts';

const WAIT_MS = 10_000;
const POLL_MS = 25;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Runs `fn` holding the lock of `path`; throws WriteError when another run holds it for longer than `waitMs`. */
export function withFileLock<T>(path: string, lockDir: string, fn: () => T, waitMs = WAIT_MS): T {
  const lock = join(lockDir, `${createHash('sha1').update(resolveLink(path)).digest('hex').slice(0, 20)}.lock`);
  try {
    mkdirSync(lockDir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw ioError(path, e as NodeJS.ErrnoException);
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = tryLock(lock, path);
    if (holder === undefined) break;
    if (holder ? !running(holder) : lockAgeMs(lock) > 2000) {
      try {
        rmSync(lock, { force: true }); // its run was killed (before it could even write its pid)
      } catch (e) {
        throw ioError(path, e as NodeJS.ErrnoException);
      }
      continue;
    }
    if (Date.now() >= deadline) throw new WriteError(`not writing ${path}: another runbook run (pid ${holder}) is writing it`, 'Run again once it has finished.');
    Atomics.wait(pause, 0, 0, POLL_MS);
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Creates the lock (undefined) or says who holds it. */
function tryLock(lock: string, path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(path, e as NodeJS.ErrnoException);
    try {
      return Number(readFileSync(lock, 'utf8')) || 0; // 0: being created, its pid not written yet
    } catch {
      return 0; // released meanwhile: try again
    }
  }
  try {
    writeSync(fd, String(process.pid));
  } catch (e) {
    rmSync(lock, { force: true });
    throw ioError(path, e as NodeJS.ErrnoException);
  } finally {
    closeSync(fd);
  }
  return undefined;
}

function lockAgeMs(lock: string): number {
  const st = statSync(lock, { throwIfNoEntry: false });
  return st ? Date.now() - st.mtimeMs : 0;
}
