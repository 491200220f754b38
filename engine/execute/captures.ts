// Keeps a session's capture files bounded while processes write to them. Only the last
// MAX_CAPTURE_BYTES of a step's output are ever read, so a step that writes without end
// (`yes`) must not fill a RAM-backed /dev/shm: the running step's file has its head punched
// away once it holds CAPTURE_LIMIT_BYTES, background steps' files likewise, and the file of a
// finished step whose processes live on (`cmd &`) is emptied whenever it grows — nobody reads it
// again. Files are checked a few times a second by one timer, which costs a stat each.
import { closeSync, ftruncateSync, openSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { allocatedBytes, CAPTURE_LIMIT_BYTES, punchHead, readCaptureFd } from './session-files.ts';

const CHECK_EVERY_MS = 100;
/** A finished step's file is emptied past this (its late writers' output is never shown). */
const LINGERING_LIMIT_BYTES = 1024 * 1024;
/** Finished steps' files watched at most; older ones are let go (their writers are long-lived daemons). */
const MAX_LINGERING = 64;

interface Growing {
  path: string;
  /** Bytes before this offset were dropped (where a hole could not be punched). */
  from: number;
  busy: boolean;
}

export class Captures {
  private readonly growing = new Map<string, Growing>(); // running step's files and background steps'
  private readonly lingering: number[] = []; // fds of finished steps' files that may still be written
  private readonly timer: NodeJS.Timeout;
  private punchWorks = true;

  constructor() {
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Starts watching files being written (a step's out/err, a background step's output). */
  watch(...paths: string[]): void {
    for (const path of paths) this.growing.set(path, { path, from: 0, busy: false });
  }

  /**
   * Reads a finished step's capture and removes the file. When processes the step left behind
   * may still write to it, it stays open (unlinked) and is emptied whenever it grows.
   */
  take(path: string, leftProcesses: boolean): string {
    const watched = this.growing.get(path);
    this.growing.delete(path);
    let fd: number;
    try {
      fd = openSync(path, leftProcesses ? 'r+' : 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      return `[runbook: could not read the step's output: ${(e as Error).message}]\n`;
    }
    const text = readCaptureFd(fd, watched?.from ?? 0);
    try {
      unlinkSync(path);
    } catch {
      /* gone already */
    }
    if (leftProcesses) {
      ftruncateSync(fd, 0);
      this.lingering.push(fd);
      if (this.lingering.length > MAX_LINGERING) closeSync(this.lingering.shift()!);
    } else closeSync(fd);
    return text;
  }

  /** Bytes of a watched file dropped so far (the reader of a background step's output skips them). */
  droppedBefore(path: string): number {
    return this.growing.get(path)?.from ?? 0;
  }

  private check(): void {
    for (const file of this.growing.values()) {
      if (file.busy) continue;
      const st = statSync(file.path, { throwIfNoEntry: false });
      if (!st || (st.blocks ?? st.size / 512) * 512 <= CAPTURE_LIMIT_BYTES) continue;
      file.busy = true;
      const cut = (ok: boolean) => {
        file.busy = false;
        if (ok) return;
        // No hole punching here: empty the file. Writers carry on at their offset, so what
        // they write next still lands at the end; what came before is lost, and the reader says so.
        this.punchWorks = false;
        try {
          truncateSync(file.path, 0);
          file.from = st.size;
        } catch {
          /* removed meanwhile */
        }
      };
      if (this.punchWorks) void punchHead(file.path, st.size).then(cut);
      else cut(false);
    }
    for (const fd of this.lingering) {
      try {
        if (allocatedBytes(fd) > LINGERING_LIMIT_BYTES) ftruncateSync(fd, 0);
      } catch {
        /* closed */
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const fd of this.lingering.splice(0)) closeSync(fd);
    this.growing.clear();
  }
}
