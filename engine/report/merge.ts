// `report merge`: the reports of N shards become one report of the whole runbook. Each chapter's
// steps come from the shard that owned it, once; the same chapter run elsewhere only because
// another chapter needed it is recorded as a repeat (flagged when it did not pass there). Each
// chapter says which shard, cluster and versions its results come from.
import { relative, resolve } from 'node:path';
import { RunbookError } from '../errors.ts';
import type { RunStatus } from '../execute/results.ts';
import type { ChapterProvenance, JsonReport, LoadedReport, ReportStep } from './read-json.ts';
import type { ImageRecord } from './run-record.ts';
import { REPORT_SCHEMA_VERSION } from './json.ts';

const FAILED = new Set(['failed', 'timedout']);

/** Merges shard reports; `outputDir` is where the merged report goes (image locations move with it). */
export function mergeReports(inputs: LoadedReport[], outputDir: string): JsonReport {
  const shards = checkShards(inputs);
  const first = shards[0].report;
  const chapters = first.chapters ?? [];
  const ownerOf = new Map<string, LoadedReport>();
  for (const s of shards) for (const name of s.report.shard!.own) ownerOf.set(name, s);

  const stepsOf = (s: LoadedReport, chapter: string, phase: ReportStep['phase']) => s.report.steps.filter((st) => chapterOf(st) === chapter && st.phase === phase);
  const main: ReportStep[] = [];
  const cleanup: ReportStep[] = [];
  const images: ImageRecord[] = [];
  const provenance: ChapterProvenance[] = [];
  for (const chapter of chapters) {
    const owner = ownerOf.get(chapter.name);
    const own = owner ? [...stepsOf(owner, chapter.name, 'main'), ...stepsOf(owner, chapter.name, 'cleanup')] : [];
    if (owner) {
      main.push(...stepsOf(owner, chapter.name, 'main'));
      cleanup.push(...stepsOf(owner, chapter.name, 'cleanup'));
      for (const image of owner.report.images ?? []) {
        if (image.chapter === chapter.name) images.push({ ...image, location: relative(outputDir, resolve(owner.dir, image.location)) });
      }
    }
    const status = chapterStatus(own, owner, chapter.name);
    const repeats = shards
      .filter((s) => s !== owner && s.report.shard!.needed.includes(chapter.name))
      .map((s) => {
        const ran = [...stepsOf(s, chapter.name, 'main'), ...stepsOf(s, chapter.name, 'cleanup')];
        const st = chapterStatus(ran, s, chapter.name);
        return { shard: s.report.shard!.index, status: st, flagged: st !== status };
      });
    provenance.push({
      name: chapter.name,
      file: chapter.file,
      needs: chapter.needs,
      shard: owner?.report.shard!.index ?? null,
      status,
      steps: own.length,
      durationMs: own.reduce((t, s) => t + s.durationMs, 0),
      target: owner?.report.target ?? null,
      context: owner?.report.context ?? null,
      facts: owner?.report.facts ?? {},
      repeats,
    });
  }

  const statuses = shards.map((s) => s.report.status);
  const incomplete = provenance.filter((c) => c.status === 'incomplete' || c.status === 'failed');
  const status: RunStatus = statuses.includes('interrupted') ? 'interrupted' : statuses.includes('failed') || incomplete.length ? 'failed' : 'passed';
  const starts = shards.map((s) => s.report.startedAt).sort();
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    status,
    runbook: first.runbook,
    target: first.target,
    context: null, // one per shard: see merged.shards and each chapter
    startedAt: starts[0],
    durationMs: Math.max(...shards.map((s) => s.report.durationMs)),
    facts: commonFacts(shards.map((s) => s.report.facts ?? {})),
    notes: shards.flatMap((s) => (s.report.notes ?? []).map((n) => `shard ${s.report.shard!.index}/${s.report.shard!.count}: ${n}`)),
    steps: [...main, ...cleanup],
    drift: [],
    shard: null,
    chapters,
    sources: first.sources,
    runbookDir: first.runbookDir,
    images,
    scope: shards.some((s) => s.report.scope === 'partial') ? 'partial' : 'full',
    merged: {
      shards: shards.map((s) => ({
        index: s.report.shard!.index,
        report: relative(outputDir, resolve(s.path)),
        status: s.report.status,
        startedAt: s.report.startedAt,
        durationMs: s.report.durationMs,
        target: s.report.target,
        context: s.report.context ?? null,
        facts: s.report.facts ?? {},
      })),
      chapters: provenance,
    },
  };
}

function chapterOf(step: ReportStep): string {
  return step.chapter ?? step.file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
}

/** A chapter passed when every step the shard planned for it ran and none failed. */
function chapterStatus(steps: ReportStep[], shard: LoadedReport | undefined, chapter: string): ChapterProvenance['status'] {
  if (!shard) return 'incomplete';
  if (steps.some((s) => FAILED.has(s.status))) return 'failed';
  // A shard that stopped early (a failure in an earlier chapter, Ctrl-C) left steps unrun:
  // reported as `not run` (or, by older engines, left out).
  const ran = steps.filter((s) => s.status !== 'not run');
  const planned = shard.report.shard?.planned?.[chapter] ?? 0;
  if (ran.length < steps.length || ran.length < planned) return 'incomplete';
  return ran.length ? 'passed' : 'empty';
}

/** Facts every shard agrees on (the Istio version, say); the rest stay per chapter. */
function commonFacts(all: Record<string, unknown>[]): Record<string, unknown> {
  const [first, ...rest] = all;
  return Object.fromEntries(Object.entries(first ?? {}).filter(([k, v]) => rest.every((f) => JSON.stringify(f[k]) === JSON.stringify(v))));
}

function checkShards(inputs: LoadedReport[]): LoadedReport[] {
  if (!inputs.length) throw new RunbookError('report merge: no reports given', undefined, undefined, 'Give the JSON reports of every shard: runbook report merge s1.json s2.json … -o merged.json');
  for (const input of inputs) {
    if (!input.report.shard || !input.report.chapters || !input.report.sources) {
      throw new RunbookError(`${input.path} is not the report of a shard`, undefined, undefined, 'Merge the JSON reports written by runbook run --shard I/N --report FILE.json.');
    }
  }
  const count = inputs[0].report.shard!.count;
  const byIndex = new Map<number, LoadedReport>();
  for (const input of inputs) {
    const shard = input.report.shard!;
    if (shard.count !== count) throw new RunbookError(`${input.path} is shard ${shard.index}/${shard.count}, but ${inputs[0].path} is of ${count} shards`, undefined, undefined, 'Merge the reports of one regeneration only.');
    const twin = byIndex.get(shard.index);
    if (twin) throw new RunbookError(`${input.path} and ${twin.path} are both shard ${shard.index}/${count}`, undefined, undefined, 'Give each shard once.');
    byIndex.set(shard.index, input);
    if (JSON.stringify(input.report.sources) !== JSON.stringify(inputs[0].report.sources)) {
      throw new RunbookError(`${input.path} ran other sources than ${inputs[0].path}`, undefined, undefined, 'Every shard must run the same commit of the runbook; run the shards again from one commit.');
    }
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) {
    throw new RunbookError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`, undefined, undefined, 'Every shard must report before the merge (a merged report must hold every chapter once).');
  }
  return [...byIndex.values()].sort((a, b) => a.report.shard!.index - b.report.shard!.index);
}
