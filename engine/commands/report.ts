// `runbook report merge` (shard reports → one report of the whole runbook, .json/.xml/.html) and
// `runbook report drift` (what a write-back from a report would change, for review).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { EXIT, RunbookError } from '../errors.ts';
import { readJsonReport } from '../report/read-json.ts';
import { mergeReports } from '../report/merge.ts';
import { runResultFromReport } from '../report/to-result.ts';
import { toJunitReport } from '../report/junit.ts';
import { toHtmlReport } from '../report/html.ts';
import { reviewDrift } from '../report/drift.ts';
import { toDriftHtml, toDriftMarkdown } from '../report/drift-html.ts';
import { load } from './load.ts';

const MERGED_TYPES = ['.json', '.xml', '.html'];

function writeOut(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text);
}

export async function reportMergeCommand(paths: string[], options: { output: string[] }): Promise<number> {
  for (const out of options.output) {
    if (!MERGED_TYPES.includes(extname(out).toLowerCase())) {
      throw new RunbookError(`-o ${out}: unknown report type`, undefined, undefined, `Use a file ending in ${MERGED_TYPES.join(', ')}.`);
    }
  }
  const inputs = paths.map((p) => readJsonReport(p));
  for (const out of options.output) {
    // Image locations are relative to the merged report, so each output places them itself.
    const merged = mergeReports(inputs, dirname(resolve(out)));
    const type = extname(out).toLowerCase();
    if (type === '.json') writeOut(out, JSON.stringify(merged, null, 2) + '\n');
    else if (type === '.xml') writeOut(out, toJunitReport(runResultFromReport(merged)));
    else writeOut(out, await toHtmlReport(runResultFromReport(merged), { runbook: merged.runbook }));
  }
  const merged = mergeReports(inputs, process.cwd());
  const chapters = merged.merged!.chapters;
  const flagged = chapters.filter((c) => c.repeats.some((r) => r.flagged));
  process.stdout.write(
    `merged ${inputs.length} shard reports: ${merged.status}, ${merged.steps.length} steps, ${chapters.length} chapters` +
      `${flagged.length ? `; flagged (a repeat in another shard went otherwise): ${flagged.map((c) => c.name).join(', ')}` : ''}\n`,
  );
  for (const c of chapters.filter((c) => c.status === 'failed' || c.status === 'incomplete')) {
    process.stdout.write(`  ${c.name}: ${c.status} (shard ${c.shard ?? '?'})\n`);
  }
  return EXIT.ok;
}

export interface DriftOptions {
  html?: string;
  markdown?: string;
  workdir?: string;
  updateExpected?: boolean;
}

export async function reportDriftCommand(reportPath: string, path: string | undefined, options: DriftOptions): Promise<number> {
  const loaded = readJsonReport(reportPath);
  const runbook = load(path);
  const review = reviewDrift(runbook, loaded, { updateExpected: Boolean(options.updateExpected), workdir: resolve(options.workdir ?? process.cwd()) });
  if (options.html) writeOut(options.html, toDriftHtml(review));
  if (options.markdown) writeOut(options.markdown, toDriftMarkdown(review));
  const out = process.stdout;
  out.write(`${review.chapters.length} chapter${review.chapters.length === 1 ? '' : 's'} changed, ${review.unchangedChapters.length} unchanged (largest first):\n`);
  for (const c of review.chapters) {
    out.write(`  ${c.name.padEnd(32)} ${String(c.blocks.length).padStart(3)} blocks ${String(c.images.length).padStart(2)} screenshots${c.failures.length ? ` ${c.failures.length} failed steps` : ''}  (shard ${c.provenance.shard ?? '-'})\n`);
  }
  for (const r of review.refusals) out.write(`warning: ${r.file}: ${r.reason}\n`);
  return EXIT.ok;
}
