// How a person steers a run (--interactive, --shell-on-failure): before a step and after a
// failure the runner asks the control what to do. The executor only knows these choices; the
// terminal side (keys, the step card, the shell) lives in engine/interactive/.
import type { Runbook } from '../model.ts';
import type { Plan } from '../plan.ts';
import type { Session } from './session.ts';
import type { StepResult } from './results.ts';

export interface StepView {
  runbook: Runbook;
  plan: Plan;
  /** Index of the step in plan.steps. */
  index: number;
  session: Session;
  /** The step run last (what `r` runs again), if any. */
  previous?: StepResult;
}

export type BeforeStepChoice =
  | { do: 'run' }
  | { do: 'skip' }
  | { do: 'rerun-previous' }
  | { do: 'jump'; to: number } // a later plan index
  | { do: 'quit' };

export type FailureChoice =
  | { do: 'retry'; shells: number } // shells: how many times a shell was opened before this choice
  | { do: 'skip'; shells: number }
  | { do: 'quit'; shells: number }
  /** Not steered: the run goes on as without a person (stops, or goes on with --keep-going). */
  | { do: 'default'; shells: number };

export interface StepControl {
  beforeStep(view: StepView): Promise<BeforeStepChoice>;
  afterFailure(result: StepResult, view: StepView): Promise<FailureChoice>;
  /** A step is running (abort ends only it) or nothing is (undefined). */
  stepRunning(abort: (() => void) | undefined): void;
}
