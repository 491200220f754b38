// What a run produced: plain data consumed by write-back, reports and the renderer.
import type { Step, TargetSettings } from '../model.ts';

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'timedout';
export type RunStatus = 'passed' | 'failed' | 'interrupted';

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
  /** One-line reason for failure or skip. */
  message?: string;
  /** Facts from directives (screenshot drift, diagnostics, …). */
  data?: Record<string, unknown>;
  /** Output drift recorded by --write: unified diff of old → new output block. */
  drift?: string;
  phase: 'main' | 'cleanup';
}

export interface RunResult {
  status: RunStatus;
  target?: TargetSettings;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  /** Facts about the environment the run saw (cluster version, Istio version, …). */
  facts: Record<string, unknown>;
  /** Problems after the steps (write-back refused, reports, teardown). */
  notes: string[];
  /** Set when a guard refused to run a step (wrong cluster): the run exits 2. */
  refused?: string;
}

/** What a step executor reports; the runner adds the step, its phase and its command. */
export type StepOutcomeFields = Omit<StepResult, 'step' | 'phase' | 'command'>;
