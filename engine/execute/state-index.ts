// The index of saved session state (.runbook/state/<runbook>/index.json), read as untrusted
// input: anything that is not exactly the shape below is refused with what is wrong and what to
// do, and no name in it can point outside the state directory.
//
// Each run that records state is one "run" entry: the steps it ran, in order, with a
// fingerprint of each, and — for a resumed run — where in which earlier run it picked up. A
// saved state names its run and how many of that run's steps came before it, so the steps
// behind a state can be listed (and compared with the runbook as it is now) without storing
// the whole list again for every step.
import { RunbookError } from '../errors.ts';

export const INDEX_VERSION = 2;
export const STATE_FILE = /^state-[0-9a-f]{16}\.sh$/;
const RUN_ID = /^[0-9a-z-]{1,40}$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_CHAIN = 10_000;

export interface RunRecord {
  /** For a resumed run: the run and step count its starting state came from. */
  from: { run: string; ran: number } | null;
  /** The steps this run executed, in order: [id, fingerprint]. */
  ran: [string, string][];
  /** Every main step of the runbook on the run's target when it ran, in order (to see steps inserted since). */
  planned: string[];
}

export interface StateRecord {
  state: string; // file name in the state directory
  run: string;
  ran: number; // how many of the run's steps came before this state
  /** Background steps and port-forwarding directives alive at this point: resume starts them again. */
  running: string[];
  /** Variables whose values were not saved (secrets): resume takes them from the environment. */
  secrets: string[];
  /** Functions not saved because their bodies hold secrets: resume refuses. */
  secretFunctions: string[];
}

export interface StateIndex {
  version: typeof INDEX_VERSION;
  runs: Record<string, RunRecord>;
  steps: Record<string, StateRecord>;
}

export const emptyIndex = (): StateIndex => ({ version: INDEX_VERSION, runs: {}, steps: {} });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown, pattern?: RegExp): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && (!pattern || pattern.test(s)));
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Parses and checks an index; throws a RunbookError (exit 2) naming the file and the problem. */
export function parseIndex(text: string, file: string): StateIndex {
  const fail = (what: string) =>
    new RunbookError(`${file}: ${what}`, undefined, undefined, `This saved state cannot be trusted; delete ${file} (or run without --from, which saves it again).`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw fail(`not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(data)) throw fail('expected a JSON object');
  if (data.version !== INDEX_VERSION) throw fail(`saved by ${typeof data.version === 'number' ? `format version ${data.version}` : 'an older engine'}; this engine reads version ${INDEX_VERSION}`);
  if (!isObject(data.runs) || !isObject(data.steps)) throw fail('expected "runs" and "steps" objects');
  for (const [id, run] of Object.entries(data.runs)) {
    if (!RUN_ID.test(id)) throw fail(`run id ${JSON.stringify(id)} is not a run id`);
    if (!isObject(run)) throw fail(`run ${id}: expected an object`);
    const from = run.from;
    if (from !== null && !(isObject(from) && typeof from.run === 'string' && RUN_ID.test(from.run) && isCount(from.ran))) throw fail(`run ${id}: "from" must be null or { run, ran }`);
    if (!Array.isArray(run.ran) || !run.ran.every((r) => Array.isArray(r) && r.length === 2 && isStringList(r))) throw fail(`run ${id}: "ran" must be a list of [step id, fingerprint]`);
    if (!isStringList(run.planned)) throw fail(`run ${id}: "planned" must be a list of step ids`);
  }
  for (const [id, rec] of Object.entries(data.steps)) {
    if (!isObject(rec)) throw fail(`state of step ${id}: expected an object`);
    if (typeof rec.state !== 'string' || !STATE_FILE.test(rec.state)) throw fail(`state of step ${id}: ${JSON.stringify(rec.state)} is not a state file name (state-<hex>.sh in the same directory)`);
    if (typeof rec.run !== 'string' || !Object.hasOwn(data.runs, rec.run)) throw fail(`state of step ${id}: names an unknown run`);
    if (!isCount(rec.ran)) throw fail(`state of step ${id}: "ran" must be a count`);
    if (!isStringList(rec.running)) throw fail(`state of step ${id}: "running" must be a list of step ids`);
    if (!isStringList(rec.secrets, VAR_NAME) || !isStringList(rec.secretFunctions)) throw fail(`state of step ${id}: "secrets" and "secretFunctions" must be lists of names`);
  }
  const index = data as unknown as StateIndex;
  // Each run's chain is checked once, not once per step: a 50,000-step index stays linear.
  const chains = new Map<string, string | null>();
  for (const [id, rec] of Object.entries(index.steps)) {
    const problem = chainProblem(index, { run: rec.run, ran: rec.ran }, chains);
    if (problem) throw fail(`state of step ${id}: ${problem}`);
  }
  return index;
}

/** What is wrong with the chain behind { run, ran } (null: nothing); `known` keeps each run's verdict. */
function chainProblem(index: StateIndex, at: { run: string; ran: number }, known: Map<string, string | null>): string | null {
  const walked = new Set<string>();
  let problem: string | null = null;
  for (let step: { run: string; ran: number } | null = at; step; ) {
    const record: RunRecord | undefined = Object.hasOwn(index.runs, step.run) ? index.runs[step.run] : undefined;
    if (!record) {
      problem = `run ${step.run} is missing`;
      break;
    }
    if (step.ran > record.ran.length) {
      problem = `run ${step.run} ran ${record.ran.length} steps, not ${step.ran}`;
      break;
    }
    if (known.has(step.run)) {
      problem = known.get(step.run)!;
      break;
    }
    if (walked.has(step.run) || walked.size > MAX_CHAIN) {
      problem = 'its chain of runs loops';
      break;
    }
    walked.add(step.run);
    step = record.from;
  }
  for (const run of walked) known.set(run, problem);
  return problem;
}

/** The steps behind a state: [id, fingerprint] in the order they ran, across resumed runs. */
export function lineage(index: StateIndex, run: string, ran: number): [string, string][] {
  const parts: [string, string][][] = [];
  let at: { run: string; ran: number } | null = { run, ran };
  for (let hops = 0; at; hops++) {
    if (hops > MAX_CHAIN) throw new Error('its chain of runs loops');
    const record: RunRecord | undefined = Object.hasOwn(index.runs, at.run) ? index.runs[at.run] : undefined;
    if (!record) throw new Error(`run ${at.run} is missing`);
    if (at.ran > record.ran.length) throw new Error(`run ${at.run} ran ${record.ran.length} steps, not ${at.ran}`);
    parts.push(record.ran.slice(0, at.ran));
    at = record.from;
  }
  return parts.reverse().flat();
}

/** The runs still needed from `starts` (runs some state names): each, and every run its chain resumed from. */
export function liveRuns(runs: Record<string, RunRecord>, starts: Iterable<string>): Set<string> {
  const live = new Set<string>();
  for (const start of starts) {
    for (let run: string | undefined = start; run && !live.has(run) && Object.hasOwn(runs, run); run = runs[run].from?.run) live.add(run);
  }
  return live;
}

const CHUNK_CHARS = 64 * 1024;

/**
 * The index as JSON.stringify writes it, in chunks of about 64 KB: the state of a 50,000-step
 * run is written without first becoming one 8 MB string (and 50,000 objects) on top of
 * everything the run keeps.
 */
export function* indexJson(runs: Record<string, RunRecord>, steps: Iterable<[string, StateRecord]>): Generator<string> {
  let chunk = '';
  for (const piece of indexPieces(runs, steps)) {
    chunk += piece;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function* indexPieces(runs: Record<string, RunRecord>, steps: Iterable<[string, StateRecord]>): Generator<string> {
  yield `{"version":${INDEX_VERSION},"runs":{`;
  let separator = '';
  for (const [id, run] of Object.entries(runs)) {
    yield `${separator}${JSON.stringify(id)}:{"from":${JSON.stringify(run.from)},"ran":[`;
    yield* listPieces(run.ran);
    yield '],"planned":[';
    yield* listPieces(run.planned);
    yield ']}';
    separator = ',';
  }
  yield '},"steps":{';
  separator = '';
  for (const [id, record] of steps) {
    yield `${separator}${JSON.stringify(id)}:${JSON.stringify(record)}`;
    separator = ',';
  }
  yield '}}';
}

function* listPieces(items: unknown[]): Generator<string> {
  for (let i = 0; i < items.length; i++) yield `${i ? ',' : ''}${JSON.stringify(items[i])}`;
}
