// One bash process of a session: commands go in on stdin, replies come back as lines on fd 3.
// The session replaces it when a step ends the shell (`exit`, `set -e`) or is killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';

export class ShellProcess {
  readonly child: ChildProcess;
  private readonly replies: string[] = [];
  private waiter: ((line: string) => void) | null = null;
  exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  startError: Error | null = null;

  constructor(shell: string, env: NodeJS.ProcessEnv, cwd: string, logFile: string) {
    const log = openSync(logFile, 'a');
    this.child = spawn(shell, ['--noprofile', '--norc'], {
      cwd,
      env,
      stdio: ['pipe', log, log, 'pipe'],
      detached: true, // a process group of its own: a terminal's Ctrl-C reaches only the engine
    });
    closeSync(log);
    const control = createInterface({ input: this.child.stdio[3] as NodeJS.ReadableStream });
    control.on('line', (line) => this.deliver(line));
    // A reply of '' means "no more replies": the shell is gone.
    control.on('close', () => this.deliver(''));
    this.child.on('exit', (code, signal) => (this.exitStatus = { code, signal }));
    this.child.on('error', (e) => {
      this.startError = e;
      this.deliver('');
    });
    this.child.stdin!.on('error', () => {}); // EPIPE after the shell died shows up as a '' reply
  }

  /** The shell's pid; 0 when it never started (callers must not signal or walk from it then). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.exitStatus === null && this.startError === null;
  }

  send(text: string): void {
    if (this.alive) this.child.stdin!.write(text + '\n');
  }

  /** The next reply line; '' once the shell has gone away. */
  reply(): Promise<string> {
    if (this.replies.length) return Promise.resolve(this.replies.shift()!);
    if (this.closed) return Promise.resolve('');
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private closed = false;

  private deliver(line: string): void {
    if (line === '') {
      if (this.closed) return;
      this.closed = true;
    }
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(line);
    } else this.replies.push(line);
  }

  /** Waits until the process has exited (after a kill). */
  exited(): Promise<void> {
    if (this.exitStatus || this.startError) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  endInput(): void {
    this.child.stdin!.end();
  }
}
