// JUnit XML: one testsuite per source file, one testcase per planned step, so CI systems show
// steps — those that did not run as skipped with why, and what a person did as properties.
import { countStatuses, isFailure, type RunResult, type StepResult } from '../execute/results.ts';
import { manualSummary } from './manual.ts';

const escapeXml = (s: string) =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

function testcase(r: StepResult, file: string): string {
  const attrs = `name="${escapeXml(r.step.id)}" classname="${escapeXml(file)}" file="${escapeXml(file)}" line="${r.step.position.line}" time="${(r.durationMs / 1000).toFixed(3)}"`;
  const manual = manualSummary(r);
  const props = [`<property name="status" value="${escapeXml(r.status)}"/>`, ...(manual ? [`<property name="manual" value="${escapeXml(manual)}"/>`] : []), ...(r.attempts > 1 ? [`<property name="attempts" value="${r.attempts}"/>`] : [])];
  const inner = [`      <properties>${props.join('')}</properties>`];
  if (r.status === 'skipped' || r.status === 'not run') inner.push(`      <skipped message="${escapeXml(r.message ?? r.status)}"/>`);
  if (isFailure(r)) {
    const body = [r.message, r.diff].filter(Boolean).join('\n\n');
    inner.push(`      <failure message="${escapeXml(r.message ?? r.status)}" type="${r.status}">${escapeXml(body)}</failure>`);
  }
  if (r.output) inner.push(`      <system-out>${escapeXml(r.output)}</system-out>`);
  return `    <testcase ${attrs}>\n${inner.join('\n')}\n    </testcase>`;
}

export function toJunitReport(result: RunResult, name = 'runbook'): string {
  const byFile = new Map<string, StepResult[]>();
  for (const r of result.steps) {
    const f = r.step.position.file;
    if (!byFile.has(f)) byFile.set(f, []);
    byFile.get(f)!.push(r);
  }
  const suites = [...byFile].map(([file, steps]) => {
    const c = countStatuses(steps);
    const time = steps.reduce((t, r) => t + r.durationMs, 0) / 1000;
    return `  <testsuite name="${escapeXml(file)}" tests="${c.total}" failures="${c.failed}" skipped="${c.skipped + c.notRun}" time="${time.toFixed(3)}">\n${steps.map((r) => testcase(r, file)).join('\n')}\n  </testsuite>`;
  });
  const c = countStatuses(result.steps);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(name)}" tests="${c.total}" failures="${c.failed}" skipped="${c.skipped + c.notRun}" time="${(result.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
