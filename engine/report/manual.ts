// What a person did to a step in an interactive run, in words, for the JUnit and HTML reports.
import type { StepResult } from '../execute/results.ts';

export function manualSummary(r: StepResult): string | undefined {
  const m = r.manual;
  if (!m) return undefined;
  const parts: string[] = [];
  if (m.skipped) parts.push(m.skipped === 'by hand' ? 'skipped by hand' : 'skipped by a jump');
  if (m.startedOnJump) parts.push('run although a jump passed over it (it starts what later steps use)');
  if (m.retries) parts.push(`run again by hand ${m.retries} time${m.retries === 1 ? '' : 's'}`);
  if (m.shells) parts.push(`shell opened ${m.shells} time${m.shells === 1 ? '' : 's'}`);
  if (m.fixedInShell) parts.push('passed after a fix in the shell');
  if (m.leftFailed) parts.push('left failed: the run went on without it');
  return parts.length ? parts.join('; ') : undefined;
}
