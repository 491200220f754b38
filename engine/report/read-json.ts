// Reading a JSON report back (one written by `run --report x.json` or by `report merge`), for
// the commands that work from reports: merge, drift, write --from-report, --durations.
// A file that is not such a report is a usage error naming the file, never a stack trace.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RunbookError } from '../errors.ts';
import type { EarlierAttempt, ManualActions, StepStatus, RunStatus } from '../execute/results.ts';
import type { ImageRecord, RunRecord } from './run-record.ts';
import type { BlockChange } from '../write/writeback.ts';
import { REPORT_SCHEMA_VERSION } from './json.ts';

export interface ReportStep {
  id: string;
  kind: string; // run, verify, …, or directive:VERB
  phase: 'main' | 'cleanup';
  file: string;
  line: number;
  chapter?: string;
  status: StepStatus;
  attempts: number;
  durationMs: number;
  startedAt: string | null;
  exitCode: number | null;
  command?: string;
  output: string;
  message: string | null;
  diff: string | null;
  data: Record<string, unknown> | null;
  /** What a person did in an interactive run (absent from older reports). */
  manual?: ManualActions | null;
  earlierAttempts?: EarlierAttempt[];
}

/** Where each chapter of a merged report comes from. */
export interface ChapterProvenance {
  name: string;
  file: string;
  needs: string[];
  shard: number | null;
  status: 'passed' | 'failed' | 'incomplete' | 'empty';
  steps: number;
  durationMs: number;
  target: string | null;
  context: string | null;
  facts: Record<string, unknown>;
  /** Runs of this chapter in other shards (needed there), which do not count. */
  repeats: { shard: number; status: string; flagged: boolean }[];
}

export interface JsonReport extends Partial<RunRecord> {
  schemaVersion?: number;
  status: RunStatus;
  runbook?: string;
  target: string | null;
  context?: string | null;
  startedAt: string;
  durationMs: number;
  facts: Record<string, unknown>;
  notes: string[];
  steps: ReportStep[];
  drift: BlockChange[];
  images?: ImageRecord[];
  /** Set by `report merge`: the shard reports it was made from, and each chapter's provenance. */
  merged?: { shards: { index: number; report: string; status: string; startedAt: string; durationMs: number; target: string | null; context: string | null; facts: Record<string, unknown> }[]; chapters: ChapterProvenance[] };
}

export interface LoadedReport {
  path: string; // as given
  dir: string; // absolute directory of the report (relative paths inside start here)
  report: JsonReport;
}

export function readJsonReport(path: string, what = 'report'): LoadedReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RunbookError(`${what} ${path}: cannot read it: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, undefined, undefined, 'Give the JSON report a run wrote with --report FILE.json.');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? (/end of JSON/.test(message) ? text.trimEnd().length : 0));
    const line = text.slice(0, offset).split('\n').length;
    throw new RunbookError(`not JSON: ${message}`, { file: path, line }, undefined, 'Give the JSON report a run wrote with --report FILE.json.');
  }
  const problem = shapeProblem(data);
  if (problem) throw new RunbookError(`not a runbook JSON report: ${problem}`, { file: path, line: 1 }, undefined, 'Give the JSON report a run wrote with --report FILE.json (not the .xml or .html one).');
  return { path, dir: dirname(resolve(path)), report: data as JsonReport };
}

function shapeProblem(data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'expected an object';
  const r = data as Record<string, unknown>;
  // schemas/report.schema.json: a report of a newer format may mean something this engine misreads.
  if (typeof r.schemaVersion === 'number' && r.schemaVersion > REPORT_SCHEMA_VERSION) {
    return `schemaVersion ${r.schemaVersion} is newer than this engine reads (${REPORT_SCHEMA_VERSION}); use the engine that wrote it`;
  }
  if (typeof r.status !== 'string') return 'no "status"';
  if (!Array.isArray(r.steps)) return 'no "steps" list';
  for (const [i, s] of (r.steps as unknown[]).entries()) {
    const step = s as Record<string, unknown> | null;
    if (!step || typeof step.id !== 'string' || typeof step.status !== 'string' || typeof step.file !== 'string' || typeof step.line !== 'number') {
      return `steps[${i}] lacks id, status, file or line`;
    }
    if (typeof step.output !== 'string') return `steps[${i}] (${step.id}) has no output text`;
  }
  return undefined;
}

/** Step durations by id, for --durations. */
export function readDurations(path: string): Map<string, number> {
  const { report } = readJsonReport(path, '--durations');
  return new Map(report.steps.filter((s) => typeof s.durationMs === 'number' && s.status !== 'skipped' && s.status !== 'not run').map((s) => [s.id, s.durationMs]));
}
