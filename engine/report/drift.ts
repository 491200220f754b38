// `report drift`: what writing back from a report would change in the committed sources, per
// chapter — each output block's text diff (worked out by the write-back itself, writing nothing)
// and each screenshot's before/after with the changed pixels — with the cluster and versions
// each chapter ran on, the chapters with the largest changes first.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Runbook } from '../model.ts';
import { writeBack } from '../write/writeback.ts';
import { compareScreenshots } from '../browser/drift.ts';
import { chapterName } from '../chapters/graph.ts';
import type { ChapterProvenance, LoadedReport } from './read-json.ts';
import { sha256 } from './run-record.ts';
import { resultsForRunbook } from './to-result.ts';
import { changedSources } from './write-from-report.ts';

export interface DriftBlock {
  stepId: string;
  kind: 'expect-output' | 'output';
  file: string;
  line: number;
  diff: string;
  changedLines: number;
}

export interface DriftImage {
  stepId: string;
  file: string;
  /** The committed image, when there is one. */
  before?: Buffer;
  after: Buffer;
  ratio: number; // share of pixels changed; 1 for a new image or a new size
  diff?: Buffer; // changed pixels in red over the old image (same size only)
  note: string;
}

export interface ChapterDrift {
  name: string;
  file: string;
  provenance: Pick<ChapterProvenance, 'shard' | 'status' | 'target' | 'context' | 'facts' | 'repeats'>;
  blocks: DriftBlock[];
  images: DriftImage[];
  failures: { stepId: string; file: string; line: number; message: string }[];
  /** Changed lines, plus 100 per wholly changed screenshot (scaled by the share of pixels). */
  size: number;
}

export interface DriftReview {
  report: string;
  status: string;
  startedAt: string;
  facts: Record<string, unknown>;
  shards: { index: number; status: string; target: string | null; context: string | null; facts: Record<string, unknown> }[];
  /** Why write --from-report would refuse (sources changed since the run), if it would. */
  refusals: { file: string; reason: string }[];
  chapters: ChapterDrift[]; // only chapters with a change or a failure, largest first
  unchangedChapters: string[];
}

const FAILED = new Set(['failed', 'timedout']);
const changed = (diff: string) => diff.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---)( |$)/.test(l)).length;

export function reviewDrift(runbook: Runbook, loaded: LoadedReport, options: { updateExpected: boolean; workdir: string }): DriftReview {
  const { report } = loaded;
  const refusals = report.sources ? changedSources(runbook, loaded) : [{ file: loaded.path, reason: 'the report records no source hashes' }];
  const { results } = resultsForRunbook(runbook, report);
  const { changes } = writeBack(runbook, results, { updateExpected: options.updateExpected, dryRun: true });
  const provenanceOf = (name: string): ChapterDrift['provenance'] =>
    report.merged?.chapters.find((c) => c.name === name) ?? { shard: report.shard?.index ?? null, status: report.status === 'passed' ? 'passed' : 'failed', target: report.target, context: report.context ?? null, facts: report.facts ?? {}, repeats: [] };

  const chapters: ChapterDrift[] = runbook.files.map((f) => {
    const name = chapterName(f.relPath);
    return { name, file: f.relPath, provenance: provenanceOf(name), blocks: [], images: [], failures: [], size: 0 };
  });
  const byName = new Map(chapters.map((c) => [c.name, c]));
  for (const change of changes) {
    const chapter = byName.get(chapterName(change.file));
    chapter?.blocks.push({ ...change, changedLines: changed(change.diff) });
  }
  for (const image of report.images ?? []) {
    const drift = imageDrift(resolve(loaded.dir, image.location), resolve(options.workdir, image.file), image.stepId, image.file);
    if (drift) byName.get(image.chapter)?.images.push(drift);
  }
  for (const step of report.steps) {
    if (FAILED.has(step.status)) byName.get(step.chapter ?? chapterName(step.file))?.failures.push({ stepId: step.id, file: step.file, line: step.line, message: step.message ?? step.status });
  }
  for (const c of chapters) {
    c.blocks.sort((a, b) => b.changedLines - a.changedLines);
    c.images.sort((a, b) => b.ratio - a.ratio);
    c.size = c.blocks.reduce((n, b) => n + b.changedLines, 0) + c.images.reduce((n, i) => n + Math.max(1, Math.round(i.ratio * 100)), 0);
  }
  const touched = chapters.filter((c) => c.size > 0 || c.failures.length);
  touched.sort((a, b) => b.size - a.size || b.failures.length - a.failures.length);
  return {
    report: loaded.path,
    status: report.status,
    startedAt: report.startedAt,
    facts: report.facts ?? {},
    shards: report.merged?.shards ?? [],
    refusals,
    chapters: touched,
    unchangedChapters: chapters.filter((c) => !touched.includes(c)).map((c) => c.name),
  };
}

/** The screenshot against the committed one; undefined when they are the same file or it is missing. */
function imageDrift(afterPath: string, beforePath: string, stepId: string, file: string): DriftImage | undefined {
  if (!existsSync(afterPath)) return { stepId, file, after: Buffer.alloc(0), ratio: 0, note: `the captured image is not at ${afterPath}` };
  const after = readFileSync(afterPath);
  const before = existsSync(beforePath) ? readFileSync(beforePath) : undefined;
  if (before && sha256(before) === sha256(after)) return undefined;
  if (!before) return { stepId, file, after, ratio: 1, note: 'new screenshot' };
  let drift;
  try {
    drift = compareScreenshots(before, after);
  } catch (e) {
    return { stepId, file, before, after, ratio: 1, note: `cannot compare: ${(e as Error).message}` };
  }
  const percent = `${+(drift.ratio * 100).toFixed(3)}%`;
  const note = drift.sameSize ? `${percent} of pixels changed` : `size changed from ${drift.oldSize ? `${drift.oldSize.width}×${drift.oldSize.height}` : 'an unreadable image'} to ${drift.newSize.width}×${drift.newSize.height}`;
  return { stepId, file, before, after, ratio: drift.ratio, diff: drift.diffPng?.(), note };
}
