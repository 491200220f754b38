// The timeline chart of the HTML report: one bar per step on a shared time axis, as inline SVG,
// so the slow steps stand out without any script or external library.
import type { RunResult, StepResult } from '../execute/results.ts';
import { formatDuration } from '../read/duration.ts';
import { escapeHtml } from './html-text.ts';
import { statusClass } from './html-step.ts';

const LABEL_WIDTH = 300;
const CHART_WIDTH = 560;
const RIGHT_MARGIN = 100;
const ROW = 22;
const AXIS = 28;
/** How many of the longest steps are marked slow (when they take a noticeable share of the run). */
const SLOWEST = 3;

interface Bar {
  result: StepResult;
  index: number;
  startMs: number;
  durationMs: number;
}

/** Bars from the steps' start times when known, else one after another. */
function layout(result: RunResult): Bar[] {
  const runStart = Date.parse(result.startedAt);
  let cursor = 0;
  return result.steps.map((r, index) => {
    const started = r.startedAt ? Date.parse(r.startedAt) - runStart : NaN;
    const startMs = Number.isFinite(started) && started >= 0 ? started : cursor;
    cursor = startMs + r.durationMs;
    return { result: r, index, startMs, durationMs: r.durationMs };
  });
}

/** Indexes of the steps to mark slow: the longest few, if each takes at least 5% of the run. */
export function slowSteps(result: RunResult): Set<number> {
  const total = Math.max(1, result.steps.reduce((t, r) => t + r.durationMs, 0));
  return new Set(
    result.steps
      .map((r, i) => ({ i, d: r.durationMs }))
      .filter(({ d }) => d > 0 && d / total >= 0.05)
      .sort((a, b) => b.d - a.d)
      .slice(0, SLOWEST)
      .map(({ i }) => i),
  );
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function timelineSvg(result: RunResult, anchor: (index: number) => string): string {
  const bars = layout(result);
  if (!bars.length) return '<p class="muted">No steps ran.</p>';
  const span = Math.max(1, ...bars.map((b) => b.startMs + b.durationMs), result.durationMs);
  const x = (ms: number) => LABEL_WIDTH + (ms / span) * CHART_WIDTH;
  const slow = slowSteps(result);
  const width = LABEL_WIDTH + CHART_WIDTH + RIGHT_MARGIN;
  const height = AXIS + bars.length * ROW + 6;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const tx = x(f * span);
    return `<line x1="${tx}" y1="${AXIS - 6}" x2="${tx}" y2="${height}" class="grid"/><text x="${tx}" y="${AXIS - 10}" class="tick" text-anchor="middle">${escapeHtml(formatDuration(f * span))}</text>`;
  });
  const rows = bars.map((b) => {
    const y = AXIS + b.index * ROW;
    const r = b.result;
    const barWidth = Math.max(2, (b.durationMs / span) * CHART_WIDTH);
    const isSlow = slow.has(b.index);
    const label = `${r.phase === 'cleanup' ? '(cleanup) ' : ''}${r.step.id}`;
    const tip = `${r.step.id} — ${r.status}, ${formatDuration(r.durationMs)}`;
    return (
      `<a href="#${anchor(b.index)}" class="row"><title>${escapeHtml(tip)}</title>` +
      `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end" class="label">${escapeHtml(shorten(label, 42))}</text>` +
      `<rect x="${x(b.startMs).toFixed(1)}" y="${y + 4}" width="${barWidth.toFixed(1)}" height="${ROW - 8}" rx="2" class="bar ${statusClass(r.status)}${isSlow ? ' slow' : ''}"/>` +
      `<text x="${(x(b.startMs) + barWidth + 6).toFixed(1)}" y="${y + 15}" class="dur${isSlow ? ' slow' : ''}">${escapeHtml(formatDuration(r.durationMs))}${isSlow ? ' ▲ slow' : ''}</text>` +
      `</a>`
    );
  });
  return (
    `<svg class="timeline" role="img" aria-label="Timeline of step durations" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `${ticks.join('')}${rows.join('')}</svg>`
  );
}
