// What the run tells a person while it works. Two implementations: an in-place status line for
// terminals and one plain line per step for CI and pipes.
import type { Step } from '../model.ts';
import type { RunResult, StepResult } from '../execute/results.ts';

export interface Reporter {
  runStart(info: { title?: string; target?: string; total: number; dryRun?: boolean }): void;
  stepStart(step: Step, index: number, total: number, phase: 'main' | 'cleanup'): void;
  /** What the step is doing or waiting for right now (verify attempt, pods not ready, …). */
  stepStatus(step: Step, detail: string): void;
  stepEnd(result: StepResult): void;
  runEnd(result: RunResult): void;
  note(text: string): void;
}
