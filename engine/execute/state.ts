// Saved session state for `--from`: for each step, the state it started from (the variables,
// functions and directory the steps before it left), which steps led there, and what was still
// running. Recorded in memory while the run goes and written once at its end (failure and
// Ctrl-C included) to .runbook/state/<runbook>/: one file per distinct state plus an index, so
// a 1,000-step run does not write 1,000 files.
//
// Nothing secret is written: variables unchanged from the environment the run started with are
// left out (credentials from the user's environment never land on disk), and so is every
// secret a step set — only its name is kept, and resume takes its value from the environment.
// Reading treats everything here as untrusted (state-index.ts): a state is code the next run
// sources, so only files named by a valid index, inside the directory, unchanged, are read.
import { lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Step } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { writeFileAtomic } from '../write/atomic-write.ts';
import { emptyIndex, indexJson, lineage, liveRuns, parseIndex, STATE_FILE, type RunRecord, type StateIndex, type StateRecord } from './state-index.ts';
import { scrubState, splitState, type StateEntry } from './state-entries.ts';

const MAX_STATE_BYTES = 64 * 1024 * 1024;

/** What a step does, as a short hash: a changed step (code, verb, attributes) has another one. */
export function stepFingerprint(step: Step): string {
  const what =
    step.type === 'command'
      ? { t: 'c', kind: step.kind, code: step.code, cwd: step.cwd ?? null }
      : { t: 'd', verb: step.verb, args: step.args, attrs: step.attrs, flags: step.flags };
  return createHash('sha1').update(JSON.stringify(what)).digest('hex').slice(0, 12);
}

export interface SavedState {
  stepId: string;
  /** The script that re-creates the state (secrets left out). */
  text: string;
  /** The steps that ran before it, in order: [id, fingerprint]. */
  lineage: [string, string][];
  running: string[];
  secrets: string[];
  secretFunctions: string[];
  /** Where a run resumed from this state continues its chain. */
  ref: { run: string; ran: number };
  /** The main steps of the runbook, in order, when the state was saved. */
  planned: string[];
  /** The state file, relative to the working directory, for messages. */
  file: string;
}

interface Pending {
  text: string;
  ran: number;
  running: string[];
}

/** A state file as the index names it. */
type SavedFile = Omit<StateRecord, 'run' | 'ran' | 'running'>;

export class StateStore {
  readonly dir: string;
  private baseline = new Set<string>();
  private readonly recorded = new Map<string, Pending>();
  private readonly runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  private from: { run: string; ran: number } | null = null;
  private readonly ran: [string, string][] = [];
  private planned: string[] = [];

  /** State lives with the runbook (in its directory's .runbook/), whatever directory runs it. */
  constructor(
    runbookRoot: string,
    runbookPath: string,
    private readonly isSecret: (entry: StateEntry) => boolean = () => false,
  ) {
    const tag = `${basename(runbookPath).replace(/[^A-Za-z0-9._-]/g, '_')}-${createHash('sha1').update(runbookPath).digest('hex').slice(0, 8)}`;
    this.dir = join(runbookRoot, '.runbook', 'state', tag);
  }

  /** The state the run started with; saved states leave its entries out. */
  setBaseline(stateText: string): void {
    this.baseline = new Set(splitState(stateText).map((e) => e.text));
  }

  /** The main steps of the runbook on this run's target, in order. */
  setPlanned(ids: string[]): void {
    this.planned = ids;
  }

  /** This run continues the chain of a resumed state. */
  resumeFrom(saved: SavedState): void {
    this.from = saved.ref;
  }

  /** A step was executed (whatever its result): later states come after it. */
  noteRan(step: Step): void {
    this.ran.push([step.id, stepFingerprint(step)]);
  }

  /** The state a step starts from, with what is running at that point. */
  record(stepId: string, stateText: string, running: string[]): void {
    this.recorded.set(stepId, { text: stateText, ran: this.ran.length, running });
  }

  /** Writes what this run recorded, merged over what earlier runs saved for other steps. */
  flush(): void {
    if (this.recorded.size === 0) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    let earlier: StateIndex;
    try {
      earlier = this.readIndex() ?? emptyIndex();
    } catch {
      earlier = emptyIndex(); // an unreadable index is replaced, never trusted
    }
    // Steps this run did not record keep what earlier runs saved for them.
    const kept = Object.entries(earlier.steps).filter(([stepId]) => !this.recorded.has(stepId));
    const runs: Record<string, RunRecord> = { ...earlier.runs, [this.runId]: { from: this.from, ran: this.ran, planned: this.planned } };
    const live = liveRuns(runs, [this.runId, ...kept.map(([, record]) => record.run)]);
    for (const id of Object.keys(runs)) if (!live.has(id)) delete runs[id];
    const saved = this.writeStates();
    writeFileAtomic(join(this.dir, 'index.json'), indexJson(runs, this.records(kept, saved)), { mode: 0o600 });
    // Drop state files no step points at any more.
    const files = new Set([...kept.map(([, record]) => record.state), ...[...saved.values()].map((s) => s.state)]);
    for (const file of readdirSync(this.dir)) {
      if (file.startsWith('state-') && !files.has(file)) rmSync(join(this.dir, file), { force: true });
    }
    this.recorded.clear();
  }

  /** Writes each distinct recorded state once; returns what each state text was saved as. */
  private writeStates(): Map<string, SavedFile> {
    const saved = new Map<string, SavedFile>();
    for (const { text } of this.recorded.values()) {
      if (saved.has(text)) continue;
      const scrubbed = scrubState(text, this.baseline, this.isSecret);
      const state = `state-${createHash('sha1').update(scrubbed.text).digest('hex').slice(0, 16)}.sh`;
      writeFileAtomic(join(this.dir, state), scrubbed.text, { mode: 0o600 });
      saved.set(text, { state, secrets: scrubbed.secrets, secretFunctions: scrubbed.secretFunctions });
    }
    return saved;
  }

  /** The index's step records, made one at a time as they are written: the kept ones, then this run's. */
  private *records(kept: [string, StateRecord][], saved: Map<string, SavedFile>): Generator<[string, StateRecord]> {
    yield* kept;
    for (const [stepId, pending] of this.recorded) {
      // Fields named one by one: V8 keeps objects made by spreading (`{ ...file, … }`) past its
      // young-generation collections, 30 MB of them for 50,000 steps.
      const file = saved.get(pending.text)!;
      yield [stepId, { state: file.state, secrets: file.secrets, secretFunctions: file.secretFunctions, run: this.runId, ran: pending.ran, running: pending.running }];
    }
  }

  /** The state saved before a step, or undefined when there is none; a tampered one is an error. */
  load(stepId: string): SavedState | undefined {
    const index = this.readIndex();
    if (!index || !Object.hasOwn(index.steps, stepId)) return undefined;
    const rec = index.steps[stepId];
    const path = join(this.dir, rec.state);
    const shown = relative(process.cwd(), path) || path;
    const refuse = (what: string) =>
      new RunbookError(`${shown}: ${what}`, undefined, undefined, `Saved state is sourced as bash, so it must be exactly as the engine wrote it; delete it (or run without --from, which saves it again).`);
    if (!STATE_FILE.test(rec.state)) throw refuse('not a state file name');
    let info;
    try {
      info = lstatSync(path);
    } catch {
      return undefined; // the index outlived its file: no state for this step
    }
    if (!info.isFile()) throw refuse(info.isSymbolicLink() ? 'is a symbolic link; saved state is never followed out of its directory' : 'is not a regular file');
    if (dirname(realpathSync(path)) !== realpathSync(this.dir)) throw refuse('is not inside the state directory');
    if (info.size > MAX_STATE_BYTES) throw refuse(`is ${info.size} bytes, more than any saved state`);
    const text = readFileSync(path, 'utf8');
    if (`state-${createHash('sha1').update(text).digest('hex').slice(0, 16)}.sh` !== rec.state) throw refuse('changed since it was saved');
    return {
      stepId,
      text,
      lineage: lineage(index, rec.run, rec.ran),
      running: rec.running,
      secrets: rec.secrets,
      secretFunctions: rec.secretFunctions,
      ref: { run: rec.run, ran: rec.ran },
      planned: index.runs[rec.run].planned,
      file: shown,
    };
  }

  /** The index, checked; undefined when none was saved. Throws a RunbookError when it is invalid. */
  private readIndex(): StateIndex | undefined {
    const file = join(this.dir, 'index.json');
    let info;
    try {
      info = lstatSync(file);
    } catch {
      return undefined;
    }
    const shown = relative(process.cwd(), file) || file;
    if (!info.isFile() || info.size > MAX_STATE_BYTES) {
      throw new RunbookError(`${shown}: not a regular file of saved state`, undefined, undefined, `Delete it, or run without --from (which saves it again).`);
    }
    return parseIndex(readFileSync(file, 'utf8'), shown);
  }
}
