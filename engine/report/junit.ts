// JUnit XML: one testsuite per source file, one testcase per step, so CI systems show steps.
import type { RunResult, StepResult } from '../execute/results.ts';

const escapeXml = (s: string) =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

export function toJunitReport(result: RunResult, name = 'runbook'): string {
  const byFile = new Map<string, StepResult[]>();
  for (const r of result.steps) {
    const f = r.step.position.file;
    if (!byFile.has(f)) byFile.set(f, []);
    byFile.get(f)!.push(r);
  }
  const failed = (r: StepResult) => r.status === 'failed' || r.status === 'timedout';
  const suites = [...byFile].map(([file, steps]) => {
    const cases = steps.map((r) => {
      const attrs = `name="${escapeXml(r.step.id)}" classname="${escapeXml(file)}" file="${escapeXml(file)}" line="${r.step.position.line}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      const out = r.output ? `\n      <system-out>${escapeXml(r.output)}</system-out>` : '';
      if (r.status === 'skipped') return `    <testcase ${attrs}>\n      <skipped message="${escapeXml(r.message ?? '')}"/>\n    </testcase>`;
      if (failed(r)) {
        const body = [r.message, r.diff].filter(Boolean).join('\n\n');
        return `    <testcase ${attrs}>\n      <failure message="${escapeXml(r.message ?? r.status)}" type="${r.status}">${escapeXml(body)}</failure>${out}\n    </testcase>`;
      }
      return `    <testcase ${attrs}>${out}\n    </testcase>`;
    });
    const time = steps.reduce((t, r) => t + r.durationMs, 0) / 1000;
    return `  <testsuite name="${escapeXml(file)}" tests="${steps.length}" failures="${steps.filter(failed).length}" skipped="${steps.filter((r) => r.status === 'skipped').length}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = result.steps.length;
  const failures = result.steps.filter(failed).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(name)}" tests="${total}" failures="${failures}" time="${(result.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
