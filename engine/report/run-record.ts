// What a JSON report carries besides the results so that later commands can work from it alone,
// on another machine: `report merge` (which shard ran which chapter, on which cluster),
// `write --from-report` (a hash of every source as the run read it, and each screenshot with
// its hash and where its bytes are) and `report drift`. Paths are relative, so a report and
// the images/ folder beside it can travel together as one CI artifact.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Runbook } from '../model.ts';
import type { RunResult } from '../execute/results.ts';
import type { ScreenshotFacts } from '../directives/screenshot.ts';
import { chapterName, chaptersOf } from '../chapters/graph.ts';
import type { ShardSplit } from '../chapters/shard.ts';
import type { Plan } from '../plan.ts';

export interface ShardRecord {
  index: number;
  count: number;
  basis: ShardSplit['basis'];
  own: string[];
  needed: string[];
  /** How many steps the shard planned per chapter (main and cleanup), so a merge sees what never ran. */
  planned: Record<string, number>;
}

export interface ImageRecord {
  stepId: string;
  chapter: string;
  /** Where the screenshot belongs, relative to the directory the run started in (`images/x.png`). */
  file: string;
  /** Where its bytes are now, relative to the report's own directory. */
  location: string;
  sha256: string;
  /** Hash of the file that was there before the run (null: there was none). */
  previousSha256: string | null;
  outcome: ScreenshotFacts['outcome'];
  width: number;
  height: number;
}

export interface RunRecord {
  shard: ShardRecord | null;
  chapters: { name: string; file: string; needs: string[] }[];
  sources: { file: string; sha256: string }[];
  /** The runbook path relative to the run's starting directory (`runbook`). */
  runbookDir: string;
  images: ImageRecord[];
  /** partial: --from/--until/--only/--tags left steps out (a shard's share is in `shard`). */
  scope: 'full' | 'partial';
}

/** What the run command knows that the results do not. */
export interface RunRecordInput {
  runbook: Runbook;
  workdir: string; // absolute
  plan: Plan;
  partial: boolean;
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export function runRecord(result: RunResult, input: RunRecordInput, reportPath: string): RunRecord {
  const { runbook, workdir, plan } = input;
  const reportDir = dirname(resolve(reportPath));
  const images: ImageRecord[] = [];
  for (const r of result.steps) {
    const shot = r.data?.screenshot as ScreenshotFacts | undefined;
    if (!shot || !existsSync(shot.path)) continue;
    images.push({
      stepId: r.step.id,
      chapter: chapterName(r.step.position.file),
      file: relative(workdir, shot.path),
      location: relative(reportDir, shot.path),
      sha256: sha256(readFileSync(shot.path)),
      previousSha256: shot.previousSha256 ?? null,
      outcome: shot.outcome,
      width: shot.width,
      height: shot.height,
    });
  }
  return {
    shard: plan.shard ? { index: plan.shard.spec.index, count: plan.shard.spec.count, basis: plan.shard.split.basis, own: plan.shard.own.own, needed: plan.shard.own.needed, planned: plannedPerChapter(plan) } : null,
    chapters: chaptersOf(runbook).map((c) => ({ name: c.name, file: c.file, needs: c.needs })),
    sources: runbook.files.map((f) => ({ file: f.relPath, sha256: sha256(f.text) })),
    runbookDir: relative(workdir, runbook.path) || '.',
    images,
    scope: input.partial ? 'partial' : 'full',
  };
}

function plannedPerChapter(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of [...plan.steps.map((p) => p.step), ...plan.cleanup]) {
    const name = chapterName(step.position.file);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
