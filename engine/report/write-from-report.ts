// `write --from-report`: the write-back of `run --write`, done later from a JSON report (of one
// run, or merged from shards on several clusters). It goes through the same write-back code, so
// the sources come out byte for byte as `run --write` would leave them. All or nothing: every
// source must be as the run read it, every screenshot must have arrived intact and its place
// must still hold the file the run compared against; otherwise nothing is written.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import type { Runbook } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { writeBack, type BlockChange } from '../write/writeback.ts';
import { writeFileAtomic } from '../write/atomic-write.ts';
import type { LoadedReport } from './read-json.ts';
import { sha256, type ImageRecord } from './run-record.ts';
import { resultsForRunbook } from './to-result.ts';

export interface FromReportOptions {
  updateExpected: boolean;
  /** The directory screenshot paths are relative to (where the run started, in its own checkout). */
  workdir: string;
}

export interface FromReportOutcome {
  changes: BlockChange[];
  written: string[];
  images: { file: string; action: 'replaced' | 'created' | 'unchanged' }[];
  refused: { file: string; reason: string }[];
}

/** Sources that are not as the run read them. */
export function changedSources(runbook: Runbook, loaded: LoadedReport): { file: string; reason: string }[] {
  const recorded = loaded.report.sources;
  if (!recorded) {
    throw new RunbookError(`${loaded.path} records no source hashes`, undefined, undefined, 'Use a JSON report written by this version of runbook (run --report FILE.json, or report merge).');
  }
  const byFile = new Map(recorded.map((s) => [s.file, s.sha256]));
  const refused: { file: string; reason: string }[] = [];
  for (const file of runbook.files) {
    const hash = byFile.get(file.relPath);
    if (hash === undefined) refused.push({ file: file.relPath, reason: 'it is new since the run' });
    else if (hash !== sha256(file.text)) refused.push({ file: file.relPath, reason: 'it changed since the run; not overwriting your edits (run again to capture outputs)' });
    byFile.delete(file.relPath);
  }
  for (const file of byFile.keys()) refused.push({ file, reason: 'it was removed since the run' });
  return refused;
}

type ImagePlan = { image: ImageRecord; from: string; to: string; action: FromReportOutcome['images'][number]['action'] };

function planImages(runbook: Runbook, loaded: LoadedReport, workdir: string, refused: FromReportOutcome['refused']): ImagePlan[] {
  const plans: ImagePlan[] = [];
  const screenshotSteps = new Set(runbook.steps.filter((s) => s.type === 'directive' && s.verb === 'screenshot').map((s) => s.id));
  for (const image of loaded.report.images ?? []) {
    const from = resolve(loaded.dir, image.location);
    const to = resolve(workdir, image.file);
    // A report is data from elsewhere: it may only place PNGs of this runbook's screenshot steps, inside the workdir.
    const inside = relative(workdir, to);
    if (!screenshotSteps.has(image.stepId) || inside.startsWith('..') || isAbsolute(inside) || !/\.png$/i.test(to)) {
      refused.push({ file: image.file, reason: `the report places an image of ${image.stepId} where no screenshot step of this runbook writes (outside ${workdir}, not a .png, or no such step)` });
      continue;
    }
    if (!existsSync(from)) {
      refused.push({ file: image.file, reason: `the screenshot of ${image.stepId} is not at ${image.location} (beside the report); download the shard's images/ with its report` });
      continue;
    }
    if (sha256(readFileSync(from)) !== image.sha256) {
      refused.push({ file: image.file, reason: `the screenshot at ${image.location} is not the one the run took (its SHA-256 differs)` });
      continue;
    }
    const current = existsSync(to) ? sha256(readFileSync(to)) : null;
    if (current === image.sha256) plans.push({ image, from, to, action: 'unchanged' });
    else if (current !== image.previousSha256) {
      refused.push({ file: image.file, reason: current === null ? 'it was removed since the run' : 'it changed since the run; not overwriting it' });
    } else plans.push({ image, from, to, action: current === null ? 'created' : 'replaced' });
  }
  return plans;
}

export function writeFromReport(runbook: Runbook, loaded: LoadedReport, options: FromReportOptions): FromReportOutcome {
  const refused = changedSources(runbook, loaded);
  const { results, problems } = resultsForRunbook(runbook, loaded.report);
  if (!refused.length) for (const p of problems) refused.push({ file: loaded.path, reason: p });
  const images = planImages(runbook, loaded, options.workdir, refused);
  const outcome: FromReportOutcome = { changes: [], written: [], images: [], refused };
  if (refused.length) return outcome;

  const write = { updateExpected: options.updateExpected };
  const rehearsal = writeBack(runbook, results, { ...write, dryRun: true });
  if (rehearsal.refused.length) return { ...outcome, refused: rehearsal.refused };
  const done = writeBack(runbook, results, write);
  for (const plan of images) {
    if (plan.action !== 'unchanged') writeFileAtomic(plan.to, readFileSync(plan.from));
    outcome.images.push({ file: plan.image.file, action: plan.action });
  }
  return { ...outcome, changes: done.changes, written: done.written, refused: done.refused };
}
