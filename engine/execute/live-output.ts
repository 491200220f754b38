// The output of the step that is running, as it grows: new complete lines, redacted, as a
// terminal shows them. Read from the step's capture file while the step writes it; nothing here
// changes what is captured. The file is held open once seen, so the last lines can still be
// read after the session has taken (and removed) it. A secret that spans several lines (a PEM
// key) is masked whole: each read is redacted together with the raw text before it, and only
// the new part is kept.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { asTerminalShows } from './terminal-text.ts';
import { MASK } from '../write/redact.ts';
import type { CaptureFile } from './session.ts';

/** How much of the output before the new part is redacted with it. */
const CONTEXT_BYTES = 16 * 1024;
/** The most read at once; a step printing faster than this is shown from its latest lines. */
const MAX_READ_BYTES = 256 * 1024;
/** A line longer than this is shown in pieces rather than held back. */
const MAX_LINE = 4096;
const SPLIT = '\u0000runbook-live\u0000';

export class LiveOutput {
  private capture: CaptureFile | undefined;
  private fd: number | undefined;
  /** The capture of the step before, when this one had not started yet: never this step's. */
  private readonly before: number | undefined;
  private offset = 0;
  private context = '';
  private partial = '';

  /** `current`: the capture of the running step (or of the last one, once none runs). */
  constructor(
    private readonly current: () => CaptureFile | undefined,
    private readonly redact: (text: string) => string,
  ) {
    this.before = current()?.step;
  }

  /**
   * Lines written since the last call (each without its newline); [] when nothing is new. With
   * `final` (the step has ended) a last line without a newline comes too, and the file is let go.
   */
  next(final = false): string[] {
    const now = this.current();
    if (now && now.step !== this.before && now.step !== this.capture?.step) this.follow(now);
    let text = this.partial + this.read();
    if (final) this.close();
    if (!text) return [];
    if (final && !text.endsWith('\n')) text += '\n';
    const end = text.lastIndexOf('\n');
    if (end < 0 && text.length < MAX_LINE) {
      this.partial = text;
      return [];
    }
    const complete = end < 0 ? text : text.slice(0, end + 1);
    this.partial = end < 0 ? '' : text.slice(end + 1);
    const shown = this.redactWithContext(complete);
    this.context = (this.context + complete).slice(-CONTEXT_BYTES);
    // NULs: a capture whose head the session punched away reads as zeros there.
    return asTerminalShows(shown).replace(/\0/g, '').replace(/\n$/, '').split('\n');
  }

  /** A new attempt (verify) or a new step writes a new capture. */
  private follow(capture: CaptureFile): void {
    this.close();
    this.capture = capture;
    this.offset = 0;
    this.context = '';
    this.partial = '';
  }

  /** Lets the file go (the step has ended and nothing more is read). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private redactWithContext(fresh: string): string {
    const red = this.redact(this.context + SPLIT + fresh);
    const at = red.lastIndexOf(SPLIT);
    return at >= 0 ? red.slice(at + SPLIT.length) : `${MASK}\n`;
  }

  private read(): string {
    if (!this.capture) return '';
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.capture.path, 'r');
      } catch {
        return ''; // not created yet, or already taken
      }
    }
    const size = fstatSync(this.fd).size;
    if (size < this.offset) this.offset = 0; // truncated: start again
    if (size - this.offset > MAX_READ_BYTES) {
      this.offset = size - MAX_READ_BYTES;
      this.partial = '';
      this.context = '';
    }
    const length = size - this.offset;
    if (length <= 0) return '';
    const buffer = Buffer.alloc(length);
    const got = readSync(this.fd, buffer, 0, length, this.offset);
    const usable = completeUtf8(buffer, got); // a character cut in two waits for the next read
    this.offset += usable;
    return buffer.subarray(0, usable).toString('utf8');
  }
}

/** How many of the first `length` bytes end on a character boundary. */
function completeUtf8(buffer: Buffer, length: number): number {
  let lead = length - 1;
  while (lead >= 0 && lead > length - 4 && (buffer[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0 || buffer[lead] < 0x80) return length;
  const size = buffer[lead] >= 0xf0 ? 4 : buffer[lead] >= 0xe0 ? 3 : buffer[lead] >= 0xc0 ? 2 : 1;
  return lead + size <= length ? length : lead;
}
