// The shell session of a run (contract §4): one bash in which every step runs, in document
// order, so variables, exports, functions and the working directory carry over exactly as they
// would in a terminal — and no fork per step, which keeps the engine's overhead per step small.
//
// A step that ends the shell (`exit`, a failure under `set -e`) or is killed (timeout, Ctrl-C)
// does not end the session: the shell is replaced by a new one restored from the state dumped
// after the last good step (or, for `exit`, from the shell's own exit trap). Options such as
// `set -e` are reset after every step, so they never leak into the next one.
//
// Processes: job control (`set -m`) puts each job in a process group of its own; every process
// also inherits RUNBOOK_RUN and RUNBOOK_STEP, which lets a timeout end exactly the step's
// processes (escaped orphans included) while background jobs of earlier steps live on.
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { endGroup, killGroupsNow } from './processes.ts';
import { filterState, type ShellState } from './shell-state.ts';
import { ShellProcess } from './shell-process.ts';
import { descendants, killPids, marked, processTable, type ProcessInfo } from './process-table.ts';
import { SHELL_INIT, STEP_DRIVER, shellQuote } from './shell-scripts.ts';
import { isDirectory, readCapture, readIfExists, rmQuiet, scratchRoot } from './session-files.ts';

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

export class SessionDiedError extends Error {}

export { shellQuote };

export class Session {
  private shell: ShellProcess;
  private readonly dir: string;
  private readonly options: SessionOptions;
  private readonly startEnv: NodeJS.ProcessEnv;
  private readonly runId = randomUUID();
  private counter = 0;
  private state: ShellState | null = null;
  private readonly groups = new Set<number>(); // jobs and background steps of earlier steps
  private readonly shells = new Set<number>();
  private queue: Promise<unknown> = Promise.resolve();
  private readyPromise: Promise<void>;

  constructor(options: SessionOptions) {
    this.options = options;
    this.dir = mkdtempSync(join(scratchRoot(), 'runbook-session-'));
    writeFileSync(join(this.dir, 'step.sh'), STEP_DRIVER);
    this.startEnv = { ...options.env, RUNBOOK_RUN: this.runId };
    this.shell = this.spawnShell();
    this.readyPromise = this.handshake();
    this.readyPromise.catch(() => {});
  }

  /** The shell state as of the last finished step (for --from), or null before the first. */
  get lastState(): ShellState | null {
    return this.state;
  }

  ready(): Promise<void> {
    return this.serial(() => this.readyPromise);
  }

  /** Runs one step and resolves with its outcome; never rejects for a failing step. */
  run(request: StepRequest): Promise<StepOutcome> {
    return this.serial(() => this.runNow(request));
  }

  private async runNow(request: StepRequest): Promise<StepOutcome> {
    const n = ++this.counter;
    const out = join(this.dir, `out-${n}.txt`);
    const err = join(this.dir, `err-${n}.txt`);
    const dump = join(this.dir, 'dump.sh');
    writeFileSync(join(this.dir, `step-${n}.sh`), request.script.endsWith('\n') ? request.script : request.script + '\n');
    const started = performance.now();
    const shell = this.shell;
    // Short: bash reads commands from a pipe one byte at a time. Mode and directory are only
    // sent when a step needs them; the driver resets them after every step.
    const extras = `${request.stdoutOnly ? ' __rb_m=1' : ''}${request.cwd ? ` __rb_cwd=${shellQuote(request.cwd)}` : ''}`;
    shell.send(`__rb_n=${n}${extras};builtin . "$__rb_dir/step.sh"`);

    let timedOut = false;
    let interrupted = false;
    const kill = () => void this.killStep(shell, n);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    const onAbort = () => {
      interrupted = true;
      kill();
    };
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    let exitCode: number | null = null;
    let shellEnded = false; // the step ended the shell (exit, set -e) or it was killed
    const jobs: number[] = [];
    for (;;) {
      const line = await shell.reply();
      if (/^\d+$/.test(line)) jobs.push(Number(line));
      else if (line.startsWith('E ')) {
        exitCode = Number(line.slice(2));
        break;
      } else if (line === '') {
        await shell.exited(); // the step ended the shell (exit, set -e), or it was killed
        exitCode = shell.exitStatus?.code ?? null;
        shellEnded = true;
        break;
      }
    }
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
    const durationMs = performance.now() - started;
    const killed = timedOut || interrupted;

    if (shellEnded || killed) {
      // Carry on in a new shell, from the state the step left at exit or else the last good one.
      const exitState = killed ? '' : readIfExists(join(this.dir, 'exit.sh'));
      await this.replaceShell(exitState || null);
    } else {
      for (const pgid of jobs) this.groups.add(pgid);
      const dumped = readIfExists(dump);
      if (dumped) this.state = filterState(dumped);
    }
    return {
      exitCode: killed ? null : exitCode,
      output: readCapture(out),
      stderr: request.stdoutOnly ? readCapture(err) : '',
      timedOut,
      interrupted,
      durationMs,
    };
  }

  /** Ends the running step: the shell (it may be running the step's builtins) and every process the step started. */
  private async killStep(shell: ShellProcess, step: number): Promise<void> {
    const table = processTable();
    const victims = new Set<number>();
    for (const p of [...descendants(table, shell.alive ? shell.pid : 0), ...marked(table, this.runId, String(step))]) {
      if (!this.groups.has(p.pgid)) victims.add(p.pid); // background jobs of earlier steps live on
    }
    if (shell.alive) victims.add(shell.pid);
    killPids(victims, 'SIGTERM');
    killPids(victims, 'SIGCONT');
    await new Promise((r) => setTimeout(r, 300));
    killPids(victims, 'SIGKILL');
  }

  /** Starts a new shell and restores the state the last one left (an exit dump, or the last step's). */
  private async replaceShell(exitDump: string | null): Promise<void> {
    const old = this.shell;
    old.endInput();
    if (old.alive) killPids([old.pid], 'SIGKILL');
    await old.exited();
    if (exitDump) this.state = filterState(exitDump);
    rmQuiet(join(this.dir, 'exit.sh'));
    this.shell = this.spawnShell();
    await this.handshake();
    if (this.state) {
      const file = join(this.dir, `restore-${++this.counter}.sh`);
      // Variables of the starting environment that the steps had unset stay unset.
      const vanished = Object.keys(this.startEnv).filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !this.state!.vars.has(k) && !IMPLICIT.has(k));
      writeFileSync(file, this.state.text + (vanished.length ? `unset -v ${vanished.join(' ')}\n` : ''));
      await this.commandNow(`builtin source ${shellQuote(file)}`);
    }
  }

  private spawnShell(): ShellProcess {
    // A replacement shell starts wherever it can (a step may have removed the starting
    // directory); the restored state then takes it to the directory the steps left it in.
    const cwd = isDirectory(this.options.cwd) ? this.options.cwd : '/';
    const shell = new ShellProcess(this.options.shell ?? 'bash', this.startEnv, cwd, join(this.dir, 'session.log'));
    this.shells.add(shell.pid);
    shell.send(SHELL_INIT(this.dir));
    return shell;
  }

  private async handshake(): Promise<void> {
    const line = await this.shell.reply();
    if (line !== 'R') {
      const cause = this.shell.startError;
      throw new SessionDiedError(
        cause ? `cannot start bash (${this.options.shell ?? 'bash'} from PATH): ${cause.message}` : 'the shell session could not start (see its log in ' + this.dir + ')',
      );
    }
  }

  /** Starts a background step: it keeps running, with its output going to a file, until the run ends. */
  startBackground(script: string, stdoutOnly = false): Promise<BackgroundHandle> {
    return this.serial(async () => {
      const n = ++this.counter;
      const file = join(this.dir, `bg-${n}.sh`);
      const out = join(this.dir, `bg-${n}.txt`);
      writeFileSync(file, script.endsWith('\n') ? script : script + '\n');
      const redirect = stdoutOnly ? `>${shellQuote(out)} 2>/dev/null` : `>${shellQuote(out)} 2>&1`;
      this.shell.send(`( builtin export RUNBOOK_STEP=${n}; builtin source ${shellQuote(file)} ) </dev/null ${redirect} {__rb_ctl}>&- & builtin printf 'B %s\\n' "$!" >&$__rb_ctl`);
      const line = await this.shell.reply();
      if (!line.startsWith('B ')) throw new SessionDiedError(`the shell session ended unexpectedly`);
      const pgid = Number(line.slice(2));
      this.groups.add(pgid);
      return { pgid, outputFile: out };
    });
  }

  /** Exports variables into the session (directives such as `ingress` use this). */
  exportVars(vars: Record<string, string>): Promise<void> {
    const lines = Object.entries(vars).map(([k, v]) => `builtin export ${k}=${shellQuote(v)}`);
    return this.serial(() => this.commandNow(lines.join('; ')));
  }

  /** Captures the session's current state (variables, functions, directory) without running a step. */
  snapshot(): Promise<ShellState> {
    return this.serial(async () => {
      const file = join(this.dir, `snapshot-${++this.counter}.sh`);
      await this.commandNow(`__rb_dump ${shellQuote(file)}`);
      this.state = filterState(readFileSync(file, 'utf8'));
      rmQuiet(file);
      return this.state;
    });
  }

  /** Sources a saved state (used by --from to resume). */
  restoreState(text: string): Promise<void> {
    return this.serial(async () => {
      const file = join(this.dir, `restore-${++this.counter}.sh`);
      writeFileSync(file, text);
      await this.commandNow(`builtin source ${shellQuote(file)}`);
      const dump = join(this.dir, `snapshot-${++this.counter}.sh`);
      await this.commandNow(`__rb_dump ${shellQuote(dump)}`);
      this.state = filterState(readFileSync(dump, 'utf8'));
    });
  }

  /** The session's exported environment right now. */
  env(): Promise<Record<string, string>> {
    return this.serial(async () => {
      const file = join(this.dir, `env-${++this.counter}.bin`);
      await this.commandNow(`builtin command env -0 > ${shellQuote(file)}`); // a step may define a function `env`
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
      await this.commandNow(`builtin printf '%s' "$PWD" > ${shellQuote(file)}`);
      const cwd = readFileSync(file, 'utf8');
      rmQuiet(file);
      return cwd;
    });
  }

  /** Ends every process of the run (steps' jobs, background steps, escaped orphans, the shell) and removes temp files. */
  async close(): Promise<void> {
    await this.queue.catch(() => {});
    this.shell.endInput();
    const table = processTable();
    const owned = this.ownedBy(table);
    const pids = new Set<number>(owned.processes);
    await Promise.all(owned.groups.map((g) => endGroup(g, 1000)));
    killPids(pids, 'SIGTERM');
    if (pids.size) await new Promise((r) => setTimeout(r, 200));
    killPids(pids, 'SIGKILL');
    if (this.shell.alive) killPids([this.shell.pid], 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** For process 'exit' handlers: kill everything at once, synchronously. */
  killNow(): void {
    try {
      const owned = this.ownedBy(processTable());
      killGroupsNow(owned.groups);
      killPids(owned.processes, 'SIGKILL');
    } catch {
      /* best effort: the process is exiting */
    }
    if (this.shell.alive) killPids([this.shell.pid], 'SIGKILL');
  }

  /**
   * What of the machine belongs to this run right now. Process ids are recycled (a long test
   * suite wraps a 32768 pid_max), so a recorded job group or a dead shell's pid is only
   * signalled when the table shows it still holds a process of this run; where the table has no
   * environments (not Linux), recorded groups are trusted as they are.
   */
  private ownedBy(table: ProcessInfo[]): { groups: number[]; processes: number[] } {
    const shellPid = this.shell.alive ? this.shell.pid : 0;
    const processes = [...marked(table, this.runId), ...descendants(table, shellPid)];
    const canSeeMarkers = table.some((p) => p.env);
    const groups = [...this.groups].reverse().filter((pgid) => !canSeeMarkers || processes.some((p) => p.pgid === pgid));
    return { groups, processes: processes.map((p) => p.pid) };
  }

  // — internals —

  /** Runs session bookkeeping in the shell and waits for it; replaces a dead shell first. */
  private async commandNow(text: string): Promise<void> {
    if (!this.shell.alive) await this.replaceShell(null);
    this.shell.send(`${text}; builtin printf 'K\\n' >&$__rb_ctl`);
    const line = await this.shell.reply();
    if (line !== 'K') throw new SessionDiedError(`the shell session ended unexpectedly (${line || 'no reply'})`);
  }

  /** One request at a time: the shell reads its commands in order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => {});
    return next;
  }
}

/** Variables bash sets itself; not "unset by a step" when missing from a dump. */
const IMPLICIT = new Set(['PWD', 'OLDPWD', 'SHLVL', '_', 'RUNBOOK_STEP']);
