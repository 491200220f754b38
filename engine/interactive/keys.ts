// Reading what a person types at the run's prompts: single keys in raw mode (Enter, a letter,
// Ctrl-C), or a line with editing. The terminal goes back to normal between prompts, so a
// step's run, a pager or the in-session shell get it as they expect.
import { createInterface } from 'node:readline';

export type Key = 'enter' | 'ctrl-c' | 'ctrl-d' | 'escape' | string;

export interface KeyInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** One key from a chunk of terminal input (escape sequences such as arrows count as escape). */
export function decodeKey(chunk: string): Key {
  if (chunk === '\r' || chunk === '\n' || chunk === '\r\n') return 'enter';
  if (chunk === '\x03') return 'ctrl-c';
  if (chunk === '\x04') return 'ctrl-d';
  if (chunk.startsWith('\x1b')) return 'escape';
  return chunk[0].toLowerCase();
}

/** Splits a chunk into keys: a person's keys may arrive together (typed fast, or pasted). */
function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < chunk.length; ) {
    if (chunk[i] === '\x1b') {
      const m = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/.exec(chunk.slice(i))!;
      keys.push(m[0]);
      i += m[0].length;
    } else if (chunk.startsWith('\r\n', i)) {
      keys.push('\r');
      i += 2;
    } else {
      const cp = chunk.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      keys.push(ch);
      i += ch.length;
    }
  }
  return keys;
}

export class KeyReader {
  private queued: string[] = [];
  private cancel?: () => void;

  constructor(private readonly input: KeyInput) {}

  /** The next key among `accepted` (others are ignored); 'ctrl-c' always comes through. */
  async key(accepted: readonly Key[]): Promise<Key> {
    for (;;) {
      const raw = this.queued.shift() ?? (await this.nextChunk());
      if (raw === undefined) return 'ctrl-c'; // cancelled: the run is stopping
      const key = decodeKey(raw);
      if (key === 'ctrl-c' || accepted.includes(key)) return key;
    }
  }

  /** A line of text (with editing); undefined when the person cancels (Ctrl-C, Escape, empty). */
  async line(question: string, output: NodeJS.WritableStream): Promise<string | undefined> {
    this.queued = [];
    const rl = createInterface({ input: this.input as unknown as NodeJS.ReadableStream, output, terminal: true });
    try {
      return await new Promise<string | undefined>((resolve) => {
        this.cancel = () => resolve(undefined);
        rl.on('SIGINT', () => resolve(undefined));
        rl.on('close', () => resolve(undefined));
        rl.question(question, (answer) => resolve(answer.trim() || undefined));
      });
    } finally {
      this.cancel = undefined;
      rl.close();
      this.input.pause();
    }
  }

  /** Ends a wait for a key or a line (the run is stopping). */
  abort(): void {
    this.cancel?.();
  }

  /** Puts the terminal back as it was. */
  close(): void {
    this.abort();
    try {
      this.input.setRawMode?.(false);
    } catch {
      /* the terminal is gone */
    }
    this.input.pause();
  }

  private nextChunk(): Promise<string | undefined> {
    return new Promise((resolve) => {
      const done = (value: string | undefined) => {
        this.input.off('data', onData);
        this.cancel = undefined;
        try {
          this.input.setRawMode?.(false);
        } catch {
          /* the terminal is gone */
        }
        this.input.pause();
        resolve(value);
      };
      const onData = (chunk: Buffer | string) => {
        const keys = splitKeys(chunk.toString());
        if (!keys.length) return;
        this.queued.push(...keys.slice(1));
        done(keys[0]);
      };
      this.cancel = () => done(undefined);
      this.input.setRawMode?.(true);
      this.input.on('data', onData);
      this.input.resume();
    });
  }
}
