// The shell session of a run (contract §4): one bash in which every step runs, in document
// order, so variables, exports, functions and the working directory carry over exactly as they
// would in a terminal — and no fork per step, which keeps the engine's overhead per step small.
//
// A step that ends the shell (`exit`, a failure under `set -e`) or is killed (timeout, Ctrl-C)
// does not end the session: the shell is replaced by a new one restored from the state dumped
// after the last good step (or, for `exit`, from the shell's own exit trap). Options such as
// `set -e` are reset after every step, so they never leak into the next one. The state is
// dumped only after steps whose code might change it (state-effects.ts).
//
// Processes: each shell runs under a holder, a child subreaper (session-holder.ts), so every
// process of the run — daemons that left their parent and cleared their environment included —
// stays a descendant of a process the session knows. Job control (`set -m`) puts each job in a
// process group of its own, and every process also inherits RUNBOOK_RUN and RUNBOOK_STEP (the
// second net, and the only one where there is no holder), which lets a timeout end exactly the
// step's processes while background jobs of earlier steps live on.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filterState, type ShellState } from './shell-state.ts';
import { ShellProcess } from './shell-process.ts';
import { ChildrenReader, killPids } from './process-table.ts';
import { RunProcesses, within } from './run-processes.ts';
import { SHELL_INIT, STEP_FILES, shellQuote } from './shell-scripts.ts';
import { isDirectory, makeScratchDir, rmQuiet, scratchRoot, takeFile } from './session-files.ts';
import { Captures } from './captures.ts';
import { stateEffect } from './state-effects.ts';
import { holderUnavailable } from './session-holder.ts';
import { escapeRegExp } from '../regexp-escape.ts';

export interface SessionOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** bash executable; default "bash" from PATH. */
  shell?: string;
}

/** Where a step's code comes from: bash's messages about it name this file and line, not the scratch copy. */
export interface StepSource {
  id: string;
  position: { file: string };
  /** The file line of the code's first line; without it messages name the step and the line of its code. */
  codeLine?: number;
}

export interface StepRequest {
  script: string;
  source?: StepSource;
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

/** A step's capture file: the path is reused from step to step, the step number tells them apart. */
export interface CaptureFile {
  path: string;
  step: number;
}

export class SessionDiedError extends Error {}

export { shellQuote };

export class Session {
  private shell: ShellProcess;
  private readonly dir: string;
  private readonly options: SessionOptions;
  private readonly startEnv: NodeJS.ProcessEnv;
  private readonly processes = new RunProcesses();
  private readonly captures = new Captures();
  private steps = 0; // steps run: the shell counts them too (RUNBOOK_STEP), and a new shell starts from here
  private backgrounds = 0;
  private state: ShellState | null = null;
  private stateDump = ''; // the dump `state` was made from: an identical one is not parsed again
  private stateStale = true; // the next step dumps, whatever its code (bookkeeping changed the state)
  private unpredictable = false; // a step set a trap, alias or shell option: every step dumps from now on
  private holderChildren = new Set<number>(); // the current holder's children after the last step
  private holderReader: ChildrenReader | undefined; // reads them, for the current shell's holder
  // The exported environment as last read, kept until something may have changed it: a step that
  // had to dump its state, exported variables, a restore, a new shell. Hooks ask before every step.
  private envSeen: Record<string, string> | undefined;
  // By step number (code-N.sh) and background number (bg-N.sh): a function an earlier step
  // defined may fail later, and a background step's messages come while later steps run.
  private readonly sources = { code: [] as (StepSource | undefined)[], bg: [] as (StepSource | undefined)[] };
  private readonly codeFileLine: RegExp;
  private queue: Promise<unknown> = Promise.resolve();
  private capturing: CaptureFile | undefined; // the capture file of the step running now, or of the last one
  private readyPromise: Promise<void>;

  constructor(options: SessionOptions) {
    this.options = options;
    this.dir = makeScratchDir(scratchRoot());
    for (const [name, text] of Object.entries(STEP_FILES)) writeFileSync(join(this.dir, name), text, { mode: 0o600 });
    this.startEnv = { ...options.env, RUNBOOK_RUN: this.processes.runId };
    this.codeFileLine = new RegExp(`${escapeRegExp(this.dir)}/(code|bg)-(\\d+)\\.sh: line (\\d+)`, 'g');
    this.shell = this.spawnShell();
    this.readyPromise = this.handshake();
    this.readyPromise.catch(() => {});
  }

  /** The shell state as of the last finished step (for --from), or null before the first. */
  get lastState(): ShellState | null {
    return this.state;
  }

  /** Values of the session's secret-looking variables as of the last step, for redaction. */
  secretValues(): string[] {
    return this.state ? [...this.state.secrets.values()].flat() : [];
  }

  /**
   * Said once when this session cannot hold processes that leave their parent and clear their
   * environment (no subreaper here): those could outlive the run.
   */
  get containmentWarning(): string | undefined {
    const why = holderUnavailable() || this.shell.warnings[0];
    return why ? `processes that detach and clear their environment (setsid -f env -i …) may outlive this run: ${why}` : undefined;
  }

  /** Where the running step's output goes, for showing it live; after it, the last step's (the file may be gone). */
  captureFile(): CaptureFile | undefined {
    return this.capturing;
  }

  ready(): Promise<void> {
    return this.serial(() => this.readyPromise);
  }

  /** Runs one step and resolves with its outcome; never rejects for a failing step. */
  run(request: StepRequest): Promise<StepOutcome> {
    return this.serial(() => this.runNow(request));
  }

  private async runNow(request: StepRequest): Promise<StepOutcome> {
    const n = ++this.steps;
    const out = join(this.dir, 'out');
    const err = join(this.dir, 'err');
    // One file per step (the shell sources code-<its step number>.sh), so that bash's messages
    // say which step a line belongs to — also for a function an earlier step defined.
    const code = join(this.dir, `code-${n}.sh`);
    writeFileSync(code, request.script.endsWith('\n') ? request.script : request.script + '\n', { mode: 0o600 });
    if (request.source) this.sources.code[n] = request.source;
    const dump = this.needsDump(request.script);
    const started = performance.now();
    const shell = this.shell;
    // Short: bash reads commands from a pipe one byte at a time, so a plain step is `. "$__rb_s"`.
    // The dump and the directory are only sent when a step needs them; the shell resets them
    // after every step, and counts the steps itself.
    const extras = `${dump ? '__rb_d=1;' : ''}${request.cwd ? `__rb_cwd=${shellQuote(request.cwd)};` : ''}`;
    this.captures.watch(out, ...(request.stdoutOnly ? [err] : []));
    this.capturing = { path: out, step: n };
    shell.send(`${extras}. "$${request.stdoutOnly ? '__rb_so' : '__rb_s'}"`);

    let timedOut = false;
    let interrupted = false;
    const kill = () => void this.processes.endStep(shell, n);
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
    rmQuiet(code); // bash read the whole file before running it
    const durationMs = performance.now() - started;
    const killed = timedOut || interrupted;

    if (dump || shellEnded || killed) this.envSeen = undefined;
    if (shellEnded || killed) {
      // Carry on in a new shell, from the state the step left at exit or else the last good one.
      const exitState = killed ? '' : takeFile(join(this.dir, 'exit.sh'));
      await this.replaceShell(exitState || null);
    } else {
      for (const pgid of jobs) this.processes.groups.add(pgid);
      if (dump) this.adopt(takeFile(join(this.dir, 'dump.sh')));
    }
    // Processes the step left running may go on writing to its capture files.
    const leftProcesses = shellEnded || killed || jobs.length > 0 || this.holderGainedChildren();
    return {
      exitCode: killed ? null : exitCode,
      output: this.located(this.captures.take(out, leftProcesses)),
      stderr: request.stdoutOnly ? this.located(this.captures.take(err, leftProcesses)) : '',
      timedOut,
      interrupted,
      durationMs,
    };
  }

  /**
   * bash's `…/code-7.sh: line 2` (or `…/bg-2.sh`, a background step's) as the runbook's
   * `chapter.md: line 31`, or `step ID: line 2` where lines cannot be mapped.
   */
  located(output: string): string {
    if (!output.includes(this.dir)) return output;
    return output.replace(this.codeFileLine, (whole, kind: 'code' | 'bg', step: string, line: string) => {
      const source = this.sources[kind][Number(step)];
      if (!source) return whole;
      return source.codeLine === undefined ? `${source.position.file}: step ${source.id}: line ${line}` : `${source.position.file}: line ${source.codeLine + Number(line) - 1}`;
    });
  }

  /** Whether the step has to dump the state: it might have changed it, or nothing can be judged. */
  private needsDump(script: string): boolean {
    if (this.stateStale || this.unpredictable || !this.state) return true;
    if (this.state.functions.has('command_not_found_handle')) return true; // runs for any unknown command
    const effect = stateEffect(script, this.state.functions);
    if (effect.unpredictableAfter) this.unpredictable = true;
    return effect.mayChange;
  }

  /** Takes a dump as the session's state; an unchanged one keeps the state as it is (and shared). */
  private adopt(dump: string): void {
    if (!dump) return;
    this.stateStale = false;
    if (dump === this.stateDump) return;
    this.state = filterState(dump);
    this.stateDump = dump;
  }

  /** True when processes left their parents during the last step (they may write to its capture). */
  private holderGainedChildren(): boolean {
    const holder = this.shell.rootPid;
    if (!this.shell.held || !holder) return false;
    this.holderReader ??= new ChildrenReader(holder); // one per shell: replaceShell drops it
    const now = new Set(this.holderReader.read() ?? []);
    now.delete(this.shell.pid);
    const gained = [...now].some((pid) => !this.holderChildren.has(pid));
    this.holderChildren = now;
    return gained;
  }

  /** Starts a new shell and restores the state the last one left (an exit dump, or the last step's). */
  private async replaceShell(exitDump: string | null): Promise<void> {
    const old = this.shell;
    old.endInput();
    if (old.alive) killPids([old.pid], 'SIGKILL');
    await old.exited();
    if (exitDump) this.adopt(exitDump);
    rmQuiet(join(this.dir, 'exit.sh'));
    this.shell = this.spawnShell();
    this.holderChildren = new Set();
    this.holderReader?.close(); // it read the old holder (whose pid a new one could even reuse)
    this.holderReader = undefined;
    this.envSeen = undefined;
    await this.handshake();
    if (this.state) {
      // Variables of the starting environment that the steps had unset stay unset.
      const vanished = Object.keys(this.startEnv).filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !this.state!.vars.has(k) && !IMPLICIT.has(k));
      await this.sourceNow(this.state.text + (vanished.length ? `unset -v ${vanished.join(' ')}\n` : ''));
    }
  }

  private spawnShell(): ShellProcess {
    // A replacement shell starts wherever it can (a step may have removed the starting
    // directory); the restored state then takes it to the directory the steps left it in.
    const cwd = isDirectory(this.options.cwd) ? this.options.cwd : '/';
    const shell = new ShellProcess(this.options.shell ?? 'bash', this.startEnv, cwd, join(this.dir, 'session.log'), this.dir);
    this.processes.adopt(shell);
    shell.send(SHELL_INIT(this.dir, this.steps));
    return shell;
  }

  private async handshake(): Promise<void> {
    const line = await this.shell.reply();
    if (line !== 'R') {
      await within(this.shell.exited(), 1000);
      const bash = this.options.shell ?? 'bash';
      const cause = this.shell.startError?.message ?? (this.shell.exitStatus?.code === 127 ? `${bash}: command not found` : undefined);
      const log = takeFile(join(this.dir, 'session.log')).trim().split('\n').slice(-3).join('; ');
      throw new SessionDiedError(`cannot start bash (${bash} from PATH): ${cause ?? 'it exited at once'}${log ? ` (${log})` : ''}`);
    }
  }

  /** Starts a background step: it keeps running, with its output going to a file, until the run ends. */
  startBackground(script: string, stdoutOnly = false, source?: StepSource): Promise<BackgroundHandle> {
    return this.serial(async () => {
      const n = ++this.backgrounds;
      if (source) this.sources.bg[n] = source;
      const file = join(this.dir, `bg-${n}.sh`);
      const out = join(this.dir, `bg-${n}.txt`);
      writeFileSync(file, script.endsWith('\n') ? script : script + '\n', { mode: 0o600 });
      const redirect = stdoutOnly ? `>${shellQuote(out)} 2>/dev/null` : `>${shellQuote(out)} 2>&1`;
      this.shell.send(`( builtin export RUNBOOK_STEP=b${n}; builtin source ${shellQuote(file)} ) </dev/null ${redirect} {__rb_ctl}>&- & builtin printf 'B %s\\n' "$!" >&$__rb_ctl`);
      const line = await this.shell.reply();
      if (!line.startsWith('B ')) throw new SessionDiedError(`the shell session ended unexpectedly`);
      const pgid = Number(line.slice(2));
      this.processes.groups.add(pgid);
      this.captures.watch(out);
      return { pgid, outputFile: out };
    });
  }

  /** Bytes dropped from the head of a background step's output file (it is kept bounded). */
  droppedBefore(outputFile: string): number {
    return this.captures.droppedBefore(outputFile);
  }

  /** Exports variables into the session (directives such as `ingress` use this). */
  exportVars(vars: Record<string, string>): Promise<void> {
    const lines = Object.entries(vars).map(([k, v]) => `builtin export ${k}=${shellQuote(v)}`);
    this.stateStale = true;
    this.envSeen = undefined;
    return this.serial(() => this.commandNow(lines.join('; ')));
  }

  /** Captures the session's current state (variables, functions, directory) without running a step. */
  snapshot(): Promise<ShellState> {
    return this.serial(() => this.snapshotNow());
  }

  private async snapshotNow(): Promise<ShellState> {
    const file = join(this.dir, 'snapshot.sh');
    await this.commandNow(`__rb_dump ${shellQuote(file)}`);
    this.adopt(takeFile(file));
    return this.state!;
  }

  /** Sources a saved state (used by --from to resume). */
  restoreState(text: string): Promise<void> {
    return this.serial(async () => {
      await this.sourceNow(text);
      await this.snapshotNow();
    });
  }

  /** Sources a script of state in the shell; the file (it may hold secrets) is removed at once. */
  private async sourceNow(text: string): Promise<void> {
    const file = join(this.dir, 'restore.sh');
    this.envSeen = undefined;
    writeFileSync(file, text, { mode: 0o600 });
    try {
      await this.commandNow(`builtin source ${shellQuote(file)}`);
    } finally {
      rmQuiet(file);
    }
  }

  /** The session's exported environment right now. */
  env(): Promise<Record<string, string>> {
    return this.serial(async () => {
      if (!this.envSeen) {
        const file = join(this.dir, 'env.bin');
        await this.commandNow(`builtin command env -0 > ${shellQuote(file)}`); // a step may define a function `env`
        this.envSeen = {};
        for (const entry of takeFile(file).split('\0')) {
          const eq = entry.indexOf('=');
          if (eq > 0) this.envSeen[entry.slice(0, eq)] = entry.slice(eq + 1);
        }
      }
      // The one variable every step changes: the shell exports the number of the step it runs.
      return this.steps > 0 ? { ...this.envSeen, RUNBOOK_STEP: String(this.steps) } : { ...this.envSeen };
    });
  }

  /** The session's working directory right now. */
  cwd(): Promise<string> {
    return this.serial(async () => {
      const file = join(this.dir, 'cwd.txt');
      await this.commandNow(`builtin printf '%s' "$PWD" > ${shellQuote(file)}`);
      return takeFile(file);
    });
  }

  /**
   * Ends every process of the run (steps' jobs, background steps, escaped orphans, the shell)
   * and removes the session's files. Returns as soon as they are gone: a session that left
   * nothing running closes in the time its shell takes to exit.
   */
  async close(): Promise<void> {
    await this.queue.catch(() => {});
    this.captures.close();
    this.holderReader?.close();
    this.shell.endInput();
    await within(this.shell.exited(), 200);
    await this.processes.endAll();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** For process 'exit' handlers: kill everything at once, synchronously. */
  killNow(): void {
    this.processes.killAllNow();
    rmSync(this.dir, { recursive: true, force: true });
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
