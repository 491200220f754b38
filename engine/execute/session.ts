// The shell session of a run: one long-lived bash whose environment, variables, functions and
// working directory carry over from step to step (contract §4).
//
// How: bash reads commands on stdin and reports on fd 3. Each step runs in a subshell in a process
// group of its own (`set -m`), so `exit`, `set -e` or a timeout end only that step; on the way out
// the subshell dumps its state (`declare -p`, `declare -f`, `$PWD`), which this class filters and
// has the parent shell source before the next command. One fork per step instead of one bash per
// step is what keeps the engine's overhead well under a millisecond.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, writeFileSync, readFileSync, existsSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { endGroup, killGroupsNow } from './processes.ts';
import { filterState, type ShellState } from './shell-state.ts';

export interface SessionOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** bash executable; default "bash" from PATH. */
  shell?: string;
}

export interface StepRequest {
  script: string;
  timeoutMs: number;
  stdoutOnly?: boolean;
  /** Run in this directory; the session's directory is unchanged afterwards. */
  cwd?: string;
  signal?: AbortSignal;
  /** Called with the step's process group id once it started. */
  onStart?: (pgid: number) => void;
}

export interface StepOutcome {
  exitCode: number | null; // null when the step was killed (timeout, interrupt)
  output: string; // stdout+stderr interleaved (or stdout only)
  stderr: string; // only with stdoutOnly
  timedOut: boolean;
  interrupted: boolean;
  durationMs: number;
}

export interface BackgroundHandle {
  pgid: number;
  outputFile: string;
}

/**
 * Runs step number $__rb_n: in a subshell (so `exit` and `set -e` end only the step), in the
 * background of a job-control shell (so it gets a process group of its own), with no positional
 * parameters, and dumping its state on the way out for the session to carry over.
 */
const STEP_DRIVER = `__rb_s="$__rb_dir/step-$__rb_n.sh" __rb_o="$__rb_dir/out-$__rb_n.txt"
__rb_t="__rb_dump $__rb_dir/dump-$__rb_n.sh"
if [ "$__rb_m" = 1 ]; then
  ( trap "$__rb_t" EXIT; set --; if [ -n "$__rb_cwd" ]; then cd -- "$__rb_cwd" || exit 1; fi; source "$__rb_s" ) </dev/null >"$__rb_o" 2>"$__rb_dir/err-$__rb_n.txt" &
else
  ( trap "$__rb_t" EXIT; set --; if [ -n "$__rb_cwd" ]; then cd -- "$__rb_cwd" || exit 1; fi; source "$__rb_s" ) </dev/null >"$__rb_o" 2>&1 &
fi
printf 'S %s\\n' "$!" >&3
wait "$!"
printf 'E %s\\n' "$?" >&3
`;

export class SessionDiedError extends Error {}

/** Bash quoting that survives anything: single quotes with embedded quotes spliced. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export class Session {
  private readonly bash: ChildProcess;
  private readonly dir: string;
  private readonly replies: string[] = [];
  private waiter: ((line: string) => void) | null = null;
  private died: Error | null = null;
  private counter = 0;
  private pending: string[] = []; // commands to prepend to the next request (state restore)
  private state: ShellState | null = null;
  private readonly groups = new Set<number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: SessionOptions) {
    this.dir = mkdtempSync(join(scratchRoot(), 'runbook-session-'));
    const log = openSync(join(this.dir, 'session.log'), 'a');
    this.bash = spawn(options.shell ?? 'bash', ['--noprofile', '--norc'], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', log, log, 'pipe'],
      detached: true, // its own process group: a terminal's Ctrl-C reaches only the engine
    });
    closeSync(log);
    this.groups.add(this.bash.pid!);
    const control = createInterface({ input: this.bash.stdio[3] as NodeJS.ReadableStream });
    control.on('line', (line) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(line);
      } else this.replies.push(line);
    });
    this.bash.on('exit', (code, signal) => {
      this.died = new SessionDiedError(`the shell session ended unexpectedly (${signal ?? `exit ${code}`})`);
      if (this.waiter) this.waiter('');
    });
    this.bash.on('error', (e) => {
      this.died = new SessionDiedError(`cannot start bash: ${e.message}`);
      if (this.waiter) this.waiter('');
    });
    this.bash.stdin!.on('error', () => {}); // EPIPE after the shell died is reported via `died`
    writeFileSync(join(this.dir, 'step.sh'), STEP_DRIVER);
    this.send(
      [
        'set -m', // each `( … ) &` gets a process group of its own
        `__rb_dir=${shellQuote(this.dir)}`,
        `__rb_dump() { { declare -p; declare -f; printf 'cd -- %q\\n' "$PWD"; } > "$1"; }`,
        'printf "R\\n" >&3',
      ].join('\n'),
    );
  }

  get tempDir(): string {
    return this.dir;
  }

  /** Process groups of every step and background process started so far (and the shell). */
  get processGroups(): ReadonlySet<number> {
    return this.groups;
  }

  /** The shell state as of the last finished step (for --from), or null before the first. */
  get lastState(): ShellState | null {
    return this.state;
  }

  async ready(): Promise<void> {
    await this.serial(async () => {
      const line = await this.reply();
      if (line !== 'R') throw this.died ?? new SessionDiedError(`unexpected reply from the session: ${line}`);
    });
  }

  /** Runs one step and resolves with its outcome; never rejects for a failing step. */
  run(request: StepRequest): Promise<StepOutcome> {
    return this.serial(() => this.runNow(request));
  }

  private async runNow(request: StepRequest): Promise<StepOutcome> {
    const n = ++this.counter;
    const script = join(this.dir, `step-${n}.sh`);
    const out = join(this.dir, `out-${n}.txt`);
    const err = join(this.dir, `err-${n}.txt`);
    const dump = join(this.dir, `dump-${n}.sh`);
    writeFileSync(script, request.script.endsWith('\n') ? request.script : request.script + '\n');
    const started = performance.now();
    // A short command line: bash reads a pipe one byte at a time, the driver file in blocks.
    this.send(`__rb_n=${n} __rb_m=${request.stdoutOnly ? 1 : 0} __rb_cwd=${request.cwd ? shellQuote(request.cwd) : "''"}; source "$__rb_dir/step.sh"`);
    const startLine = await this.reply();
    if (!startLine.startsWith('S ')) throw this.died ?? new SessionDiedError(`unexpected reply: ${startLine}`);
    const pgid = Number(startLine.slice(2));
    this.groups.add(pgid);
    request.onStart?.(pgid);

    let timedOut = false;
    let interrupted = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void endGroup(pgid);
    }, request.timeoutMs);
    const onAbort = () => {
      interrupted = true;
      void endGroup(pgid, 500);
    };
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const endLine = await this.reply();
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
    const durationMs = performance.now() - started;
    if (!endLine.startsWith('E ')) throw this.died ?? new SessionDiedError(`unexpected reply: ${endLine}`);
    const killed = timedOut || interrupted;
    const exitCode = killed ? null : Number(endLine.slice(2));

    if (!killed && existsSync(dump)) this.adoptState(readFileSync(dump, 'utf8'), !request.cwd);
    const output = readIfExists(out);
    const stderr = request.stdoutOnly ? readIfExists(err) : '';
    rmQuiet(dump);
    return { exitCode, output, stderr, timedOut, interrupted, durationMs };
  }

  /** Starts a background step: it keeps running, with its output going to a file, until the run ends. */
  startBackground(script: string, stdoutOnly = false): Promise<BackgroundHandle> {
    return this.serial(async () => {
      const n = ++this.counter;
      const file = join(this.dir, `bg-${n}.sh`);
      const out = join(this.dir, `bg-${n}.txt`);
      writeFileSync(file, script.endsWith('\n') ? script : script + '\n');
      const redirect = stdoutOnly ? `>${shellQuote(out)} 2>/dev/null` : `>${shellQuote(out)} 2>&1`;
      this.send(`( source ${shellQuote(file)} ) </dev/null ${redirect} & printf 'B %s\\n' "$!" >&3`);
      const line = await this.reply();
      if (!line.startsWith('B ')) throw this.died ?? new SessionDiedError(`unexpected reply: ${line}`);
      const pgid = Number(line.slice(2));
      this.groups.add(pgid);
      return { pgid, outputFile: out };
    });
  }

  /** Exports variables into the session (directives such as `ingress` use this). */
  exportVars(vars: Record<string, string>): Promise<void> {
    const lines = Object.entries(vars).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    return this.command(lines.join('; '));
  }

  /** Captures the session's current state (variables, functions, directory) without running a step. */
  snapshot(): Promise<ShellState> {
    return this.serial(async () => {
      const file = join(this.dir, `snapshot-${++this.counter}.sh`);
      this.send(`__rb_dump ${shellQuote(file)}; printf 'K\\n' >&3`);
      await this.expect('K');
      this.state = filterState(readFileSync(file, 'utf8'), true);
      rmQuiet(file);
      return this.state;
    });
  }

  /** Sources a saved state file (used by --from to resume). */
  restoreState(text: string): Promise<void> {
    const file = join(this.dir, `restore-${++this.counter}.sh`);
    writeFileSync(file, text);
    this.state = filterState(text, true);
    return this.command(`source ${shellQuote(file)}`);
  }

  /** The session's exported environment right now. */
  env(): Promise<Record<string, string>> {
    return this.serial(async () => {
      const file = join(this.dir, `env-${++this.counter}.bin`);
      this.send(`env -0 > ${shellQuote(file)}; printf 'K\\n' >&3`);
      await this.expect('K');
      const env: Record<string, string> = {};
      for (const entry of readFileSync(file, 'utf8').split('\0')) {
        const eq = entry.indexOf('=');
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
      }
      rmQuiet(file);
      return env;
    });
  }

  /** The session's working directory right now. */
  cwd(): Promise<string> {
    return this.serial(async () => {
      const file = join(this.dir, `cwd-${++this.counter}.txt`);
      this.send(`printf '%s' "$PWD" > ${shellQuote(file)}; printf 'K\\n' >&3`);
      await this.expect('K');
      const cwd = readFileSync(file, 'utf8');
      rmQuiet(file);
      return cwd;
    });
  }

  /** Ends every process group of the run (steps, background processes, the shell) and removes temp files. */
  async close(): Promise<void> {
    this.bash.stdin!.end();
    const groups = [...this.groups].reverse();
    await Promise.all(groups.map((g) => endGroup(g, 1000)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** For process 'exit' handlers: kill everything at once, synchronously. */
  killNow(): void {
    killGroupsNow(this.groups);
  }

  // — internals —

  private command(text: string): Promise<void> {
    return this.serial(async () => {
      this.send(`${text}; printf 'K\\n' >&3`);
      await this.expect('K');
    });
  }

  private adoptState(dump: string, keepCwd: boolean): void {
    const next = filterState(dump, keepCwd);
    if (this.state && next.text === this.state.text) return; // nothing changed: no re-source needed
    const file = join(this.dir, `state-${this.counter}.sh`);
    writeFileSync(file, next.text);
    const vanishedVars = this.state ? [...this.state.vars].filter((v) => !next.vars.has(v)) : [];
    const vanishedFns = this.state ? [...this.state.functions].filter((f) => !next.functions.has(f)) : [];
    this.pending.push(`source ${shellQuote(file)}`);
    if (vanishedVars.length) this.pending.push(`unset -v ${vanishedVars.join(' ')}`);
    if (vanishedFns.length) this.pending.push(`unset -f ${vanishedFns.join(' ')}`);
    this.state = next;
  }

  private send(command: string): void {
    if (this.died) throw this.died;
    const prefix = this.pending.length ? this.pending.join('; ') + '\n' : '';
    this.pending = [];
    this.bash.stdin!.write(prefix + command + '\n');
  }

  private reply(): Promise<string> {
    if (this.replies.length) return Promise.resolve(this.replies.shift()!);
    if (this.died) return Promise.resolve('');
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private async expect(token: string): Promise<void> {
    const line = await this.reply();
    if (line !== token) throw this.died ?? new SessionDiedError(`unexpected reply from the session: ${line}`);
  }

  /** One request at a time: the shell reads its commands in order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => {});
    return next;
  }
}

/**
 * Where the session keeps its per-step files. A RAM-backed /dev/shm makes the per-step state dump
 * (one write per variable) about three times cheaper than a disk-backed /tmp.
 */
function scratchRoot(): string {
  if (process.env.RUNBOOK_TMPDIR) return process.env.RUNBOOK_TMPDIR;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

function readIfExists(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}
