import { countStatuses, type RunResult } from '../execute/results.ts';
import { formatDuration } from '../read/duration.ts';
import type { Style } from './style.ts';

/** Lines of a cleanup step's output shown after a run that did not pass. */
const CLEANUP_LINES = 6;
const MAX_LISTED = 8;

/**
 * The closing lines of a run. After a run that did not pass, what its cleanup steps said comes
 * first: a user deciding what to do next needs to know what was deleted or kept (a cluster, say)
 * without opening the report. Then `N passed, N failed, N skipped, N not run` — every planned
 * step counted once, so the numbers add up to the header's — the steps that did not run and
 * why, then status and time.
 */
export function summarize(result: RunResult, style: Style): string {
  const c = countStatuses(result.steps);
  const lines = [...cleanupSaid(result), `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.notRun} not run`];
  const notRun = result.steps.filter((r) => r.status === 'not run');
  if (notRun.length) {
    const why = new Set(notRun.map((r) => (r.message ?? '').replace(/^not run: /, '')));
    const ids = notRun.slice(0, MAX_LISTED).map((r) => r.step.id).join(', ') + (notRun.length > MAX_LISTED ? `, … (${notRun.length - MAX_LISTED} more)` : '');
    lines.push(style.dim(`not run: ${ids}${why.size === 1 ? ` (${[...why][0]})` : ''}`));
  }
  const status = result.status === 'passed' ? style.green('passed') : result.status === 'interrupted' ? style.yellow('interrupted') : style.red('failed');
  lines.push(`run ${status} in ${formatDuration(result.durationMs)}`);
  // The steps passed but the captured outputs were not written: the command exits 1, and says why.
  if (result.writeRefused) lines.push(style.red(`${result.writeRefused} file${result.writeRefused === 1 ? ' was' : 's were'} not written (see "not written" above): exit 1`));
  return lines.join('\n');
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
