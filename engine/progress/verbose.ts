// --verbose prints a step's lines as they come; a step too quick to be read while it ran (or
// whose last lines came after the last look) has the rest printed from its captured output.
import type { StepResult } from '../execute/results.ts';

/** The lines of a finished step's output after the first `printed` ones. */
export function verboseRest(r: StepResult, printed: number): string[] {
  const lines = r.output.replace(/\n$/, '').split('\n');
  return r.output && printed < lines.length ? lines.slice(printed) : [];
}
