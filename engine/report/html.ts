// The HTML report (contract §7, `--report run.html`): one self-contained file a person opens from
// disk. Summary, cluster facts (when the run collected any), a timeline of step durations, the failures first in a list, then
// every step. No scripts, no external resources; every text from the run is escaped.
import { countStatuses, type RunResult } from '../execute/results.ts';
import type { BlockChange } from '../write/writeback.ts';
import { formatDuration } from '../read/duration.ts';
import type { ReportExtras } from './json.ts';
import { escapeHtml, valueText } from './html-text.ts';
import { timelineSvg, slowSteps } from './html-timeline.ts';
import { isFailure, statusClass, stepSection } from './html-step.ts';
import { REPORT_CSS } from './html-style.ts';

const anchor = (index: number) => `step-${index + 1}`;

function summary(result: RunResult, extras: ReportExtras): string {
  const c = countStatuses(result.steps);
  const tiles: [string, string | number][] = [
    ['passed', c.passed],
    ['failed', c.failed],
    ['skipped', c.skipped],
    ['not run', c.notRun],
    ['duration', formatDuration(result.durationMs)],
    ['target', result.target?.name ?? '(none)'],
  ];
  const target = result.target?.context ? ` <span class="muted">(context ${escapeHtml(result.target.context)})</span>` : '';
  return (
    `<p class="status-line"><span class="badge ${result.status}">${result.status}</span> ` +
    `${escapeHtml(extras.runbook ?? 'runbook')}${target} <span class="muted">started ${escapeHtml(result.startedAt)}</span></p>` +
    `<div class="summary">${tiles.map(([k, v]) => `<div class="tile-${statusClass(k)}"><b>${escapeHtml(String(v))}</b>${k}</div>`).join('')}</div>` +
    (result.refused ? `<p class="message">Refused: ${escapeHtml(result.refused)}</p>` : '') +
    (result.interactive ? '<p class="muted">A person steered this run (--interactive or --shell-on-failure): what they did is marked on each step.</p>' : '') +
    (result.resumedFrom ? `<p class="muted">Resumed at ${escapeHtml(result.resumedFrom)} from saved state${result.restarted?.length ? `; started again: ${result.restarted.map((r) => `${escapeHtml(r.id)} (${escapeHtml(r.status)})`).join(', ')}` : ''}.</p>` : '')
  );
}

/** The facts a run collected (a cluster's, when it used one); a run that used none gets no section. */
function factsSection(facts: Record<string, unknown>): string {
  const rows = Object.entries(facts);
  if (!rows.length) return '';
  return `<h2>Cluster facts</h2><table class="facts">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${typeof v === 'object' && v !== null ? `<pre>${escapeHtml(valueText(v))}</pre>` : escapeHtml(valueText(v))}</td></tr>`).join('')}</table>`;
}

function failureList(result: RunResult): string {
  const failed = result.steps.map((r, i) => ({ r, i })).filter(({ r }) => isFailure(r));
  if (!failed.length) return '';
  const items = failed.map(
    ({ r, i }) =>
      `<li><a href="#${anchor(i)}">${escapeHtml(r.step.id)}</a> <span class="muted">${escapeHtml(`${r.step.position.file}:${r.step.position.line}`)}</span> — ${escapeHtml(r.message ?? r.status)}</li>`,
  );
  return `<h2>Failures</h2><ul class="failures">${items.join('')}</ul>`;
}

/** "9: 7 passed, 1 failed, 0 skipped, 1 not run" — the same counts as the summary tiles. */
function stepTally(result: RunResult): string {
  const c = countStatuses(result.steps);
  return `${c.total}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.notRun} not run`;
}

export function toHtmlReport(result: RunResult, extras: ReportExtras = {}): string {
  const slow = slowSteps(result);
  const driftByStep = new Map<string, BlockChange[]>();
  for (const change of extras.drift ?? []) driftByStep.set(change.stepId, [...(driftByStep.get(change.stepId) ?? []), change]);
  const steps = result.steps.map((r, i) => stepSection(r, anchor(i), r.phase === 'main' ? (driftByStep.get(r.step.id) ?? []) : [], slow.has(i)));
  const notes = result.notes.length ? `<h2>Notes</h2><ul class="notes">${result.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  const title = `runbook ${result.status}: ${extras.runbook ?? ''}`.trim();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body><main>
<h1>Runbook report</h1>
${summary(result, extras)}
${failureList(result)}
<h2>Timeline</h2><div class="timeline-box">${timelineSvg(result, anchor)}</div>
${factsSection(result.facts)}
${notes}
<h2>Steps (${stepTally(result)})</h2>
${steps.join('\n')}
<footer>Written by runbook at ${escapeHtml(new Date().toISOString())}. Outputs are redacted as configured.</footer>
</main></body></html>
`;
}
