import type { RunResult } from '../execute/results.ts';
import { formatDuration } from '../read/duration.ts';
import type { Style } from './style.ts';

/** The closing line of a run: `N passed, N failed, N skipped` plus status and time. */
export function summarize(result: RunResult, style: Style): string {
  const count = (s: string) => result.steps.filter((r) => (s === 'failed' ? r.status === 'failed' || r.status === 'timedout' : r.status === s)).length;
  const line = `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`;
  const status = result.status === 'passed' ? style.green('passed') : result.status === 'interrupted' ? style.yellow('interrupted') : style.red('failed');
  return `${line}\nrun ${status} in ${formatDuration(result.durationMs)}`;
}
