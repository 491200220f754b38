// The drift review page a maintainer reads before merging a regeneration: one self-contained
// HTML file (no script, no outside request, images inline), the largest changes first.
import type { ChapterDrift, DriftImage, DriftReview } from './drift.ts';
import { diffBlock, escapeHtml, valueText } from './html-text.ts';
import { MAX_INLINE_IMAGE_BYTES } from './html-images.ts';
import { REPORT_CSS } from './html-style.ts';

const DRIFT_CSS = `
.toc td,.toc th{padding:3px 10px;text-align:left;border-bottom:1px solid var(--line)}.toc{border-collapse:collapse}
.chapter{border:1px solid var(--line);border-radius:6px;padding:10px 14px;margin:16px 0}
.chapter h2{border:0;margin:0 0 4px}.where{color:var(--muted);font-size:12px}
.flag{color:var(--fail);font-weight:600}.refusal{border:2px solid var(--fail);border-radius:6px;padding:8px 14px}
`;

const fact = (facts: Record<string, unknown>, key: string) => (facts[key] === undefined ? '' : valueText(facts[key]));

function png(data: Buffer | undefined, alt: string): string {
  if (!data?.length) return `<p class="muted">${escapeHtml(alt)}: none</p>`;
  if (data.length > MAX_INLINE_IMAGE_BYTES) return `<p class="muted">${escapeHtml(alt)}: too large to embed (${Math.round(data.length / 1024 / 1024)} MB)</p>`;
  return `<img src="data:image/png;base64,${data.toString('base64')}" alt="${escapeHtml(alt)}">`;
}

function imageBlock(image: DriftImage): string {
  const figures = [
    `<figure>${png(image.before, `before: ${image.file}`)}<figcaption>before (committed)</figcaption></figure>`,
    `<figure>${png(image.after, `after: ${image.file}`)}<figcaption>after (this run)</figcaption></figure>`,
  ];
  if (image.diff) figures.push(`<figure>${png(image.diff, `changed pixels: ${image.file}`)}<figcaption>changed pixels in red</figcaption></figure>`);
  return `<div class="image" data-file="${escapeHtml(image.file)}"><h4>Screenshot ${escapeHtml(image.file)} <span class="muted">(${escapeHtml(image.stepId)}: ${escapeHtml(image.note)})</span></h4><div class="shots">${figures.join('')}</div></div>`;
}

function provenanceLine(c: ChapterDrift): string {
  const p = c.provenance;
  const parts = [
    p.shard !== null ? `shard ${p.shard}` : 'single run',
    `status ${p.status}`,
    p.target ? `target ${p.target}` : '',
    p.context ? `context ${p.context}` : '',
    fact(p.facts, 'kubernetesVersion') ? `Kubernetes ${fact(p.facts, 'kubernetesVersion')}` : '',
    fact(p.facts, 'istioVersion') ? `Istio ${fact(p.facts, 'istioVersion')}` : '',
  ].filter(Boolean);
  const flagged = p.repeats.filter((r) => r.flagged);
  const repeats = p.repeats.length
    ? ` · also ran in shard ${p.repeats.map((r) => `${r.shard} (${r.status})`).join(', ')}${flagged.length ? ' <span class="flag">differs from the counted run</span>' : ''}`
    : '';
  return `<p class="where">${escapeHtml(parts.join(' · '))}${repeats}</p>`;
}

function chapterSection(c: ChapterDrift): string {
  const body: string[] = [];
  if (c.failures.length) {
    body.push(`<ul class="failures">${c.failures.map((f) => `<li class="flag">${escapeHtml(f.stepId)} <span class="muted">${escapeHtml(`${f.file}:${f.line}`)}</span> — ${escapeHtml(f.message)}</li>`).join('')}</ul>`);
  }
  for (const b of c.blocks) {
    body.push(`<div class="block" data-step="${escapeHtml(b.stepId)}"><h4>${escapeHtml(b.kind)} of ${escapeHtml(b.stepId)} <span class="muted">${escapeHtml(`${b.file}:${b.line}`)} · ${b.changedLines} line${b.changedLines === 1 ? '' : 's'} changed</span></h4>${diffBlock(b.diff)}</div>`);
  }
  for (const image of c.images) body.push(imageBlock(image));
  return `<section class="chapter" id="chapter-${escapeHtml(c.name)}"><h2>${escapeHtml(c.name)}</h2>${provenanceLine(c)}${body.join('\n')}</section>`;
}

function shardsTable(review: DriftReview): string {
  if (!review.shards.length) return '';
  const rows = review.shards.map(
    (s) =>
      `<tr><td>${s.index}</td><td><span class="badge ${escapeHtml(s.status)}">${escapeHtml(s.status)}</span></td><td>${escapeHtml(s.target ?? '')}</td><td>${escapeHtml(s.context ?? '')}</td><td>${escapeHtml(fact(s.facts, 'kubernetesVersion'))}</td><td>${escapeHtml(fact(s.facts, 'istioVersion'))}</td></tr>`,
  );
  return `<h2>Shards</h2><table class="facts"><tr><th>shard</th><th>status</th><th>target</th><th>context</th><th>Kubernetes</th><th>Istio</th></tr>${rows.join('')}</table>`;
}

export function toDriftHtml(review: DriftReview): string {
  const toc = review.chapters.map(
    (c) => `<tr><td><a href="#chapter-${escapeHtml(c.name)}">${escapeHtml(c.name)}</a></td><td>${c.blocks.length}</td><td>${c.images.length}</td><td>${c.failures.length ? `<span class="flag">${c.failures.length}</span>` : '0'}</td><td>${c.size}</td></tr>`,
  );
  const refusal = review.refusals.length
    ? `<div class="refusal"><p class="message">write --from-report would refuse: the sources are not as the run read them.</p><ul>${review.refusals.map((r) => `<li>${escapeHtml(r.file)}: ${escapeHtml(r.reason)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Drift review: ${escapeHtml(review.report)}</title><style>${REPORT_CSS}${DRIFT_CSS}</style></head>
<body><main>
<h1>Drift review</h1>
<p class="status-line"><span class="badge ${escapeHtml(review.status)}">${escapeHtml(review.status)}</span> ${escapeHtml(review.report)} <span class="muted">run started ${escapeHtml(review.startedAt)}</span></p>
<p class="summary-line">${review.chapters.length} chapter${review.chapters.length === 1 ? '' : 's'} changed, ${review.unchangedChapters.length} unchanged${review.unchangedChapters.length ? ` <span class="muted">(${escapeHtml(review.unchangedChapters.join(', '))})</span>` : ''}.</p>
${refusal}
${shardsTable(review)}
<h2>Changes, largest first</h2>
${toc.length ? `<table class="toc"><tr><th>chapter</th><th>blocks</th><th>screenshots</th><th>failed steps</th><th>size</th></tr>${toc.join('')}</table>` : '<p>No output or screenshot would change.</p>'}
${review.chapters.map(chapterSection).join('\n')}
<footer>Written by runbook report drift at ${escapeHtml(new Date().toISOString())}. Size = changed lines, plus up to 100 per screenshot by the share of pixels changed.</footer>
</main></body></html>
`;
}

/** A short Markdown summary for a pull request body. */
export function toDriftMarkdown(review: DriftReview): string {
  const lines = [`### Drift review (${review.status})`, '', `${review.chapters.length} chapter(s) changed, ${review.unchangedChapters.length} unchanged.`, ''];
  if (review.refusals.length) lines.push(`**Sources changed since the run; write-back refused:** ${review.refusals.map((r) => `\`${r.file}\``).join(', ')}`, '');
  if (review.shards.length) {
    lines.push('| shard | status | context | Kubernetes | Istio |', '|---|---|---|---|---|');
    for (const s of review.shards) lines.push(`| ${s.index} | ${s.status} | ${s.context ?? ''} | ${fact(s.facts, 'kubernetesVersion')} | ${fact(s.facts, 'istioVersion')} |`);
    lines.push('');
  }
  if (review.chapters.length) {
    lines.push('| chapter | shard | blocks | lines | screenshots | failed steps |', '|---|---|---|---|---|---|');
    for (const c of review.chapters) {
      lines.push(`| ${c.name} | ${c.provenance.shard ?? ''} | ${c.blocks.length} | ${c.blocks.reduce((n, b) => n + b.changedLines, 0)} | ${c.images.length} | ${c.failures.length} |`);
    }
  }
  return lines.join('\n') + '\n';
}
