// What a run produced: plain data consumed by write-back, reports and the renderer.
import type { Step, TargetSettings } from '../model.ts';

/** `not run`: planned, but the run ended before it (an earlier failure, Ctrl-C, a refusal, q). */
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'timedout' | 'not run';
export type RunStatus = 'passed' | 'failed' | 'interrupted';

/** An earlier attempt of a step that was run again (interactive retry or re-run). */
export interface EarlierAttempt {
  status: StepStatus;
  exitCode: number | null;
  durationMs: number;
  startedAt?: string;
  message?: string;
  /** A shell was opened in the session after this attempt, before the next one. */
  shellAfter?: boolean;
}

/** What a person did to a step in an interactive run (--interactive, --shell-on-failure). */
export interface ManualActions {
  /** Skipped with `s` before it ran, or passed over by a `b` jump. */
  skipped?: 'by hand' | 'by jump';
  /** Times it was run again by hand (retry after a failure, `r` re-run). */
  retries?: number;
  /** Times a shell was opened in the session after it failed. */
  shells?: number;
  /** It passed on an attempt made after a shell was opened for it. */
  fixedInShell?: boolean;
  /** It failed and the person chose to go on without it. */
  leftFailed?: boolean;
  /** A background step or port-forward run although a `b` jump passed over it: later steps need it. */
  startedOnJump?: boolean;
}

export interface StepResult {
  step: Step;
  status: StepStatus;
  attempts: number;
  durationMs: number;
  startedAt?: string; // ISO time
  exitCode: number | null;
  /** The command as written (a directive as its comment text), redacted. */
  command: string;
  /** Captured output, as a terminal shows it, redacted. */
  output: string;
  /** With stream=stdout: what the step wrote to stderr, shown on failure. */
  stderr?: string;
  /** The diff against the expected output, when that is why it failed. */
  diff?: string;
  /** One-line reason for failure, skip or not running. */
  message?: string;
  /** Facts from directives (screenshot drift, diagnostics, …). */
  data?: Record<string, unknown>;
  /** Output drift recorded by --write: unified diff of old → new output block. */
  drift?: string;
  phase: 'main' | 'cleanup';
  /** Attempts before the one above, when the step was run again by hand. */
  earlier?: EarlierAttempt[];
  manual?: ManualActions;
  /** A background step's process group (not reported): to tell whether it still runs. */
  processGroup?: number;
}

/** A background step or port-forward started again by --from, before the first step. */
export interface Restarted {
  id: string;
  file: string;
  line: number;
  status: StepStatus;
  message?: string;
}

export interface RunResult {
  status: RunStatus;
  target?: TargetSettings;
  startedAt: string;
  durationMs: number;
  /** Every planned step in plan order (main steps, then cleanup), run or not. */
  steps: StepResult[];
  /** Facts about the environment the run saw (cluster version, Istio version, …). */
  facts: Record<string, unknown>;
  /** Problems after the steps (write-back refused, reports, teardown). */
  notes: string[];
  /** Files --write refused to write (changed during the run, …): the run exits 1. */
  writeRefused?: number;
  /** Set when a guard refused to run a step (wrong cluster): the run exits 2. */
  refused?: string;
  /** --from: the step it resumed at, and what was started again to bring the session back. */
  resumedFrom?: string;
  restarted?: Restarted[];
  /** --interactive or --shell-on-failure: a person steered the run. */
  interactive?: boolean;
}

/** What a step executor reports; the runner adds the step, its phase and its command. */
export type StepOutcomeFields = Omit<StepResult, 'step' | 'phase' | 'command'>;

export const isFailure = (r: { status: StepStatus }) => r.status === 'failed' || r.status === 'timedout';

export interface StatusCounts {
  total: number;
  passed: number;
  failed: number; // failed and timed out
  skipped: number;
  notRun: number;
}

/** The counts every report shows; they always add up to the number of planned steps. */
export function countStatuses(steps: readonly { status: StepStatus }[]): StatusCounts {
  const counts: StatusCounts = { total: steps.length, passed: 0, failed: 0, skipped: 0, notRun: 0 };
  for (const r of steps) {
    if (r.status === 'passed') counts.passed++;
    else if (isFailure(r)) counts.failed++;
    else if (r.status === 'skipped') counts.skipped++;
    else counts.notRun++;
  }
  return counts;
}

/** A planned step the run never reached, with the reason. */
export function notRun(step: Step, phase: StepResult['phase'], command: string, why: string): StepResult {
  return { step, phase, command, status: 'not run', attempts: 0, durationMs: 0, exitCode: null, output: '', message: why };
}

/** Folds an earlier result of the same step into a new attempt (retry, re-run). */
export function mergeAttempts(previous: StepResult, next: StepResult, shellAfterPrevious: boolean): StepResult {
  const earlier: EarlierAttempt[] = [
    ...(previous.earlier ?? []),
    { status: previous.status, exitCode: previous.exitCode, durationMs: previous.durationMs, startedAt: previous.startedAt, message: previous.message, ...(shellAfterPrevious ? { shellAfter: true } : {}) },
  ];
  const manual: ManualActions = { ...previous.manual, ...next.manual, retries: (previous.manual?.retries ?? 0) + 1 };
  if (next.status === 'passed' && earlier.some((e) => e.shellAfter)) manual.fixedInShell = true;
  delete manual.leftFailed;
  return { ...next, attempts: previous.attempts + next.attempts, earlier, manual };
}
