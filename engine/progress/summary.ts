import type { RunResult } from '../execute/results.ts';
import { formatDuration } from '../read/duration.ts';
import type { Style } from './style.ts';

/** Lines of a cleanup step's output shown after a run that did not pass. */
const CLEANUP_LINES = 6;

/**
 * The closing line of a run: `N passed, N failed, N skipped` plus status and time. After a run
 * that did not pass, what its cleanup steps said comes first: a user deciding what to do next
 * needs to know what was deleted or kept (a cluster, say) without opening the report.
 */
export function summarize(result: RunResult, style: Style): string {
  const count = (s: string) => result.steps.filter((r) => (s === 'failed' ? r.status === 'failed' || r.status === 'timedout' : r.status === s)).length;
  const line = `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`;
  const status = result.status === 'passed' ? style.green('passed') : result.status === 'interrupted' ? style.yellow('interrupted') : style.red('failed');
  return [...cleanupSaid(result), line, `run ${status} in ${formatDuration(result.durationMs)}`].join('\n');
}

function cleanupSaid(result: RunResult): string[] {
  if (result.status === 'passed') return [];
  const out: string[] = [];
  for (const r of result.steps) {
    if (r.phase !== 'cleanup' || r.status !== 'passed') continue; // failed ones are described already
    const lines = r.output.split('\n').map((l) => l.trimEnd()).filter(Boolean);
    if (!lines.length) continue;
    out.push(`cleanup ${r.step.id}:`, ...lines.slice(-CLEANUP_LINES).map((l) => `  ${l}`));
  }
  return out;
}
