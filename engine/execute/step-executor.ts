// What the runner hands the loops that run steps: one function that runs a step, and how a
// step reads for people.
import type { Step } from '../model.ts';
import type { StepResult } from './results.ts';
import type { LiveOutput } from './live-output.ts';

/** What a step runs, for people: the code, or the directive as written. */
export function commandText(step: Step): string {
  if (step.type === 'command') return step.code;
  const attrs = Object.entries(step.attrs).map(([k, v]) => (/\s/.test(v) ? `${k}="${v}"` : `${k}=${v}`));
  return ['runbook:', step.verb, ...step.args, ...attrs, ...step.flags].join(' ');
}

/** Runs one step (without telling the reporter it started or ended); `live` gets its output as it grows. */
export type StepExecutor = (step: Step, phase: StepResult['phase'], signal: AbortSignal, live?: (output: LiveOutput) => void) => Promise<StepResult>;
