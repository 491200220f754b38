// `run --shard I/N`: splits the chapters into N disjoint sets, balanced by how long each chapter
// took in the last report (or, without one, by its number of steps), and gives every shard the
// chapters its own ones need, so each shard is a complete run on its own cluster. The split
// depends only on the runbook, the target and the durations, so N processes on N machines
// compute the same one without talking to each other.
import { RunbookError } from '../errors.ts';
import { requiredChapters, type Chapter } from './graph.ts';

export interface ShardSpec {
  index: number; // 1-based
  count: number;
}

export interface ShardChapters {
  index: number;
  /** Chapters this shard is responsible for: their results count in a merged report. */
  own: string[];
  /** Chapters run only because an own chapter needs them (setup): repeated, counted elsewhere. */
  needed: string[];
  /** Estimated cost: milliseconds (durations) or steps. */
  cost: number;
}

export interface ShardSplit {
  basis: 'durations' | 'steps';
  shards: ShardChapters[];
}

export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 256) {
    throw new RunbookError(`--shard ${text}: expected I/N with 1 ≤ I ≤ N (N at most 256)`, undefined, undefined, 'Example: --shard 2/3 runs the second of three shards.');
  }
  return { index, count };
}

/**
 * Greedy longest-first split: the heaviest chapter first, each to the shard whose cost grows
 * least, counting the needed chapters it would add there. Ties go to the lower shard.
 */
export function splitChapters(chapters: Chapter[], weight: Map<string, number>, count: number, basis: ShardSplit['basis']): ShardSplit {
  const w = (name: string) => weight.get(name) ?? 0;
  const shards = Array.from({ length: count }, (_, i) => ({ index: i + 1, own: new Set<string>(), all: new Set<string>(), cost: 0 }));
  const order = [...chapters].sort((a, b) => w(b.name) - w(a.name) || a.index - b.index);
  for (const chapter of order) {
    const wanted = [chapter.name, ...requiredChapters(chapters, [chapter.name])];
    let best = shards[0];
    let bestCost = Infinity;
    for (const shard of shards) {
      const cost = shard.cost + wanted.filter((n) => !shard.all.has(n)).reduce((sum, n) => sum + w(n), 0);
      if (cost < bestCost) [best, bestCost] = [shard, cost];
    }
    best.own.add(chapter.name);
    for (const n of wanted) best.all.add(n);
    best.cost = bestCost;
  }
  const inOrder = (names: Set<string>) => chapters.filter((c) => names.has(c.name)).map((c) => c.name);
  return {
    basis,
    shards: shards.map((s) => ({ index: s.index, own: inOrder(s.own), needed: inOrder(new Set([...s.all].filter((n) => !s.own.has(n)))), cost: s.cost })),
  };
}

/**
 * Weight of each chapter: the summed durations of its steps in the last report, a step missing
 * there counted as the median of those found; without durations, its number of steps.
 */
export function chapterWeights(chapters: Chapter[], stepIds: (c: Chapter) => string[], durations?: Map<string, number>): { weight: Map<string, number>; basis: ShardSplit['basis'] } {
  const known = durations ? chapters.flatMap((c) => stepIds(c)).filter((id) => durations.has(id)).map((id) => durations.get(id)!) : [];
  if (!durations || known.length === 0) return { weight: new Map(chapters.map((c) => [c.name, stepIds(c).length])), basis: 'steps' };
  const sorted = [...known].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { weight: new Map(chapters.map((c) => [c.name, stepIds(c).reduce((sum, id) => sum + (durations.get(id) ?? median), 0)])), basis: 'durations' };
}
