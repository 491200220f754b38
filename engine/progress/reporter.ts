// What the run tells a person while it works. Two implementations: an in-place status line for
// terminals and one plain line per step for CI and pipes.
import type { Step } from '../model.ts';
import type { RunResult, StepResult } from '../execute/results.ts';
import type { LiveOutput } from '../execute/live-output.ts';

export interface RunStartInfo {
  title?: string;
  target?: string;
  /** Every planned step, cleanup steps included: the summary's counts add up to it. */
  total: number;
  /** How many of them are cleanup steps. */
  cleanup?: number;
}

export interface Reporter {
  runStart(info: RunStartInfo): void;
  stepStart(step: Step, index: number, total: number, phase: 'main' | 'cleanup'): void;
  /** What the step is doing or waiting for right now (verify attempt, pods not ready, …). */
  stepStatus(step: Step, detail: string): void;
  /** The running step's output as it grows (shell steps); read it until stepEnd. */
  stepOutput?(step: Step, output: LiveOutput): void;
  stepEnd(result: StepResult): void;
  runEnd(result: RunResult): void;
  note(text: string): void;
  /** Stop drawing: someone else (a prompt, a shell) has the terminal until the next step starts. */
  pause?(): void;
}

/** "5 steps" or "5 steps (1 cleanup)". */
export function stepCount(info: RunStartInfo): string {
  return `${info.total} step${info.total === 1 ? '' : 's'}${info.cleanup ? ` (${info.cleanup} cleanup)` : ''}`;
}

/** What a step's closing line adds after its position: why it did not run, or that a fix in the shell made it pass. */
export function stepNote(r: StepResult): string | undefined {
  return r.status === 'skipped' || r.status === 'not run' ? r.message : r.manual?.fixedInShell ? 'passed after a fix in the shell' : undefined;
}
