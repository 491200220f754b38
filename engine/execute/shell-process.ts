// One bash process of a session: commands go in on stdin, replies come back as lines on fd 3.
// The session replaces it when a step ends the shell (`exit`, `set -e`) or is killed.
// Where it can, the shell runs under a holder (session-holder.ts) that keeps every process it
// starts findable; the holder reports the shell's exit on the same channel.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { holderCommand } from './session-holder.ts';

export interface ExitStatus {
  code: number | null;
  signal: number | NodeJS.Signals | null;
}

export class ShellProcess {
  /** The holder, or the shell itself where there is none. */
  readonly child: ChildProcess;
  readonly held: boolean;
  private shellPid = 0;
  private readonly replies: string[] = [];
  private waiter: ((line: string) => void) | null = null;
  private exitWaiters: (() => void)[] = [];
  private holderWaiters: (() => void)[] = [];
  private closed = false;
  /** The shell's exit, once it has exited. */
  exitStatus: ExitStatus | null = null;
  holderExited = false;
  startError: Error | null = null;
  /** What the holder could not do (no subreaper on this system). */
  readonly warnings: string[] = [];

  constructor(shell: string, env: NodeJS.ProcessEnv, cwd: string, logFile: string, scratchDir: string) {
    const args = ['--noprofile', '--norc'];
    const holder = holderCommand(shell, args, env, scratchDir);
    this.held = holder !== null;
    const log = openSync(logFile, 'a', 0o600);
    this.child = spawn(holder?.command ?? shell, holder?.args ?? args, {
      cwd,
      env: holder?.env ?? env,
      stdio: ['pipe', log, log, 'pipe'],
      detached: true, // a process group of its own: a terminal's Ctrl-C reaches only the engine
    });
    closeSync(log);
    if (!this.held) this.shellPid = this.child.pid ?? 0;
    const control = createInterface({ input: this.child.stdio[3] as NodeJS.ReadableStream });
    control.on('line', (line) => this.onLine(line));
    // A reply of '' means "no more replies": the shell is gone.
    control.on('close', () => this.deliver(''));
    this.child.on('exit', (code, signal) => {
      this.holderExited = true;
      if (!this.exitStatus) this.setExit({ code, signal });
      for (const w of this.holderWaiters.splice(0)) w();
    });
    this.child.on('error', (e) => {
      this.startError = e;
      this.holderExited = true;
      this.deliver('');
      if (!this.exitStatus) this.setExit({ code: null, signal: null });
      for (const w of this.holderWaiters.splice(0)) w();
    });
    this.child.stdin!.on('error', () => {}); // EPIPE after the shell died shows up as a '' reply
  }

  private onLine(line: string): void {
    if (this.held && line.startsWith('X ')) {
      const [code, signal] = line.slice(2).split(' ').map(Number);
      this.setExit({ code: signal ? null : code, signal: signal || null });
    } else if (this.held && line.startsWith('W ')) {
      this.warnings.push(line.slice(2));
    } else if (line.startsWith('R ')) {
      this.shellPid = Number(line.slice(2));
      this.deliver('R');
    } else this.deliver(line);
  }

  private setExit(status: ExitStatus): void {
    this.exitStatus = status;
    for (const w of this.exitWaiters.splice(0)) w();
  }

  /** The shell's pid; 0 before it said it is ready (callers must not signal or walk from it then). */
  get pid(): number {
    return this.alive ? this.shellPid : 0;
  }

  /** The process every process of this shell descends from (the holder, else the shell). */
  get rootPid(): number {
    return this.holderExited ? 0 : (this.child.pid ?? 0);
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

  /** Waits until the shell has exited (after a kill, or after endInput). */
  exited(): Promise<void> {
    if (this.exitStatus) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Waits until the holder has gone too (it stays while processes the shell started live on). */
  holderGone(): Promise<void> {
    if (this.holderExited) return Promise.resolve();
    return new Promise((resolve) => this.holderWaiters.push(resolve));
  }

  endInput(): void {
    this.child.stdin!.end();
  }
}
