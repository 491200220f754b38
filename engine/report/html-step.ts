// One step in the HTML report: status and timings, what ran (redacted by the runner), its output, why it failed (message,
// expected-vs-actual diff, diagnostics), output drift from --write, and screenshots.
import type { StepResult } from '../execute/results.ts';
import type { Step } from '../model.ts';
import type { BlockChange } from '../write/writeback.ts';
import type { ScreenshotFacts } from '../directives/screenshot.ts';
import { formatDuration } from '../read/duration.ts';
import { diffBlock, escapeHtml, lineCount, pre, valueText } from './html-text.ts';
import { inlinePng } from './html-images.ts';

export { isFailure } from '../execute/results.ts';
import { isFailure } from '../execute/results.ts';
import { manualSummary } from './manual.ts';

/** A status as a CSS class (`not run` → `not-run`). */
export const statusClass = (status: string) => status.replace(/\s+/g, '-');

export function stepKind(step: Step): string {
  return step.type === 'directive' ? `${step.verb}${step.args.length ? ` ${step.args.join(' ')}` : ''}` : step.kind;
}

const percent = (ratio: number) => `${+(ratio * 100).toFixed(3)}%`;

function screenshotBlock(facts: ScreenshotFacts): string {
  const verdict =
    facts.outcome === 'created'
      ? 'new file'
      : facts.outcome === 'kept'
        ? `kept: ${percent(facts.ratio ?? 0)} of pixels changed, within the ${percent(facts.threshold)} threshold`
        : facts.oldSize && (facts.oldSize.width !== facts.width || facts.oldSize.height !== facts.height)
          ? `replaced: size changed from ${facts.oldSize.width}×${facts.oldSize.height} to ${facts.width}×${facts.height}`
          : `replaced: ${percent(facts.ratio ?? 1)} of pixels changed (threshold ${percent(facts.threshold)})`;
  const figures = [`<figure>${inlinePng(facts.path, `screenshot ${facts.file}`)}<figcaption>${escapeHtml(facts.file)} (${facts.width}×${facts.height})</figcaption></figure>`];
  if (facts.diffImage) figures.push(`<figure>${inlinePng(facts.diffImage, 'changed pixels')}<figcaption>changed pixels in red</figcaption></figure>`);
  return (
    `<h4>Screenshot</h4><p class="shot ${facts.outcome}">${escapeHtml(facts.url)} → ${escapeHtml(facts.file)}: <strong>${escapeHtml(verdict)}</strong>` +
    `${facts.httpStatus ? ` <span class="muted">HTTP ${facts.httpStatus}</span>` : ''}</p><div class="shots">${figures.join('')}</div>`
  );
}

function diagnosticsBlock(data: Record<string, unknown>, open: boolean): string {
  const entries = Object.entries(data).filter(([key]) => key !== 'screenshot');
  if (!entries.length) return '';
  const items = entries.map(([key, value]) => `<h5>${escapeHtml(key)}</h5>${pre(valueText(value), 'out diag')}`).join('');
  return `<details class="diagnostics"${open ? ' open' : ''}><summary>Diagnostics (${entries.length})</summary>${items}</details>`;
}

function facts(r: StepResult, slow: boolean): string {
  const parts = [
    `<span>${escapeHtml(formatDuration(r.durationMs))}${slow ? ' <b class="slow">slow</b>' : ''}</span>`,
    r.attempts > 1 || r.step.kind === 'verify' ? `<span>${r.attempts} attempt${r.attempts === 1 ? '' : 's'}</span>` : '',
    r.exitCode !== null ? `<span>exit ${r.exitCode}</span>` : '',
    r.phase === 'cleanup' ? '<span>cleanup</span>' : '',
    `<span class="where">${escapeHtml(`${r.step.position.file}:${r.step.position.line}`)}</span>`,
  ];
  return parts.filter(Boolean).join('');
}

export function stepSection(r: StepResult, anchor: string, drift: BlockChange[], slow: boolean): string {
  const failed = isFailure(r);
  const body: string[] = [];
  if (r.message) body.push(`<p class="message${failed ? '' : ' quiet'}">${escapeHtml(r.message)}</p>`);
  const manual = manualSummary(r);
  if (manual) body.push(`<p class="manual">By hand: ${escapeHtml(manual)}</p>`);
  if (r.earlier?.length) {
    const rows = r.earlier.map((e, i) => `<li>attempt ${i + 1}: ${escapeHtml(e.status)}${e.exitCode !== null ? `, exit ${e.exitCode}` : ''}, ${escapeHtml(formatDuration(e.durationMs))}${e.message ? ` — ${escapeHtml(e.message)}` : ''}${e.shellAfter ? ' <span class="muted">(then a shell was opened)</span>' : ''}</li>`);
    body.push(`<h4>Earlier attempts</h4><ol class="earlier">${rows.join('')}</ol>`);
  }
  body.push(`<h4>${r.step.type === 'directive' ? 'Directive' : 'Command'}</h4>${pre(r.command, 'code')}`);
  if (r.diff) body.push(`<h4>Expected vs actual <span class="muted">(match=${escapeHtml(r.step.expect?.match ?? 'like')}; − expected, + actual)</span></h4>${diffBlock(r.diff)}`);
  if (r.stderr) body.push(`<h4>stderr</h4>${pre(r.stderr)}`);
  if ((r.status !== 'skipped' && r.status !== 'not run') || r.output) {
    body.push(`<details class="output"${failed ? ' open' : ''}><summary>Output (${lineCount(r.output)} line${lineCount(r.output) === 1 ? '' : 's'})</summary>${pre(r.output)}</details>`);
  }
  for (const change of drift) {
    body.push(`<h4>Output drift <span class="muted">(${escapeHtml(change.kind)} at ${escapeHtml(`${change.file}:${change.line}`)}, written by --write)</span></h4>${diffBlock(change.diff)}`);
  }
  if (r.drift) body.push(`<h4>Output drift</h4>${diffBlock(r.drift)}`);
  const shot = r.data?.screenshot as ScreenshotFacts | undefined;
  if (shot) body.push(screenshotBlock(shot));
  if (r.data) body.push(diagnosticsBlock(r.data, failed));
  return (
    `<section class="step ${statusClass(r.status)}" id="${anchor}">` +
    `<header><span class="badge ${statusClass(r.status)}">${r.status}</span>${r.manual ? '<span class="badge manual">by hand</span>' : ''}<h3>${escapeHtml(r.step.id)}</h3><span class="kind">${escapeHtml(stepKind(r.step))}</span>` +
    `<div class="facts">${facts(r, slow)}</div></header>${body.join('\n')}</section>`
  );
}
