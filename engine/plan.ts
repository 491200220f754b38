// Chooses which steps a run executes, in order: by target, --shard (the shard's chapters and
// the chapters they need), --from/--until, --only and --tags. Cleanup steps always come last,
// in document order.
import type { Runbook, Step, TargetSettings } from './model.ts';
import { RunbookError } from './errors.ts';
import { expandVars, UnsetVariableError } from './directives/expand.ts';
import { assertGraph, chapterName, chaptersOf } from './chapters/graph.ts';
import { chapterWeights, splitChapters, type ShardChapters, type ShardSpec, type ShardSplit } from './chapters/shard.ts';

export interface PlanOptions {
  target?: string;
  from?: string;
  until?: string;
  only?: string[];
  tags?: string[];
  /** Values for $VAR in the target's context: the runbook's vars, then --set. */
  vars?: Record<string, string>;
  shard?: ShardSpec;
  /** Step durations of an earlier run (by id), to balance shards. */
  durations?: Map<string, number>;
}

export interface ShardPlan {
  spec: ShardSpec;
  split: ShardSplit;
  own: ShardChapters; // this shard's entry of split.shards
}

export interface PlannedStep {
  step: Step;
  /** Why a step is in the plan but does not run (skip steps, filtered steps), if so. */
  skipReason?: string;
}

export interface Plan {
  target?: TargetSettings;
  steps: PlannedStep[]; // main steps in order, including those shown as skipped
  cleanup: Step[];
  shard?: ShardPlan;
  /** Every main step on the target (and in the shard), before --from/--until/--only/--tags chose (resume checks against it). */
  main: Step[];
}

export function chooseTarget(runbook: Runbook, name?: string): TargetSettings | undefined {
  const targets = runbook.settings.targets;
  if (!name) return targets[0];
  const found = targets.find((t) => t.name === name);
  if (!found) {
    throw new RunbookError(
      `unknown target "${name}"`,
      undefined,
      undefined,
      targets.length ? `Targets of this runbook: ${targets.map((t) => t.name).join(', ')}.` : 'This runbook declares no targets; run it without --target.',
    );
  }
  return found;
}

/** The target with $VAR / ${VAR} in its context replaced (a shard's CLUSTER_NAME, say). */
export function expandTarget(target: TargetSettings | undefined, vars: Record<string, string>): TargetSettings | undefined {
  if (!target?.context || !target.context.includes('$')) return target;
  try {
    return { ...target, context: expandVars(target.context, vars) };
  } catch (e) {
    if (!(e instanceof UnsetVariableError)) throw e;
    throw new RunbookError(
      `target ${target.name}: context "${target.context}" uses $${e.variable}, which is not set`,
      target.position,
      undefined,
      `Declare ${e.variable} under vars:, or pass --set ${e.variable}=VALUE.`,
    );
  }
}

/** Which chapters shard I of N runs: its own, balanced across shards, and those they need. */
export function planShard(runbook: Runbook, target: TargetSettings | undefined, spec: ShardSpec, durations?: Map<string, number>): ShardPlan {
  const chapters = chaptersOf(runbook);
  assertGraph(chapters);
  const stepIds = (c: (typeof chapters)[number]) => c.source.steps.filter((s) => s.kind !== 'skip' && onTarget(s, target)).map((s) => s.id);
  const { weight, basis } = chapterWeights(chapters, stepIds, durations);
  const split = splitChapters(chapters, weight, spec.count, basis);
  return { spec, split, own: split.shards[spec.index - 1] };
}

export function onTarget(step: Step, target?: TargetSettings): boolean {
  return step.targets.length === 0 || (target !== undefined && step.targets.includes(target.name));
}

export function makePlan(runbook: Runbook, options: PlanOptions): Plan {
  const target = expandTarget(chooseTarget(runbook, options.target), options.vars ?? runbook.settings.vars);
  const shard = options.shard ? planShard(runbook, target, options.shard, options.durations) : undefined;
  const inShard = (s: Step) => !shard || [...shard.own.own, ...shard.own.needed].includes(chapterName(s.position.file));
  const ids = new Set(runbook.steps.map((s) => s.id));
  for (const [flag, id] of [['--from', options.from], ['--until', options.until], ...(options.only ?? []).map((i) => ['--only', i])] as const) {
    if (id !== undefined && !ids.has(id)) {
      throw new RunbookError(`${flag} ${id}: no step has that id`, undefined, undefined, 'See the ids with: runbook list');
    }
  }
  const main = runbook.steps.filter((s) => s.kind !== 'cleanup' && onTarget(s, target) && inShard(s));
  const start = options.from ? main.findIndex((s) => s.id === options.from) : 0;
  const endIndex = options.until ? main.findIndex((s) => s.id === options.until) : main.length - 1;
  const where = `a cleanup step, not on target ${target?.name}${shard ? `, or not in shard ${shard.spec.index}/${shard.spec.count}` : ''}`;
  if (options.from && start === -1) throw new RunbookError(`--from ${options.from} is ${where}`);
  if (options.until && endIndex === -1) throw new RunbookError(`--until ${options.until} is ${where}`);
  const selected = (s: Step) =>
    (!options.only?.length || options.only.includes(s.id)) && (!options.tags?.length || s.tags.some((t) => options.tags!.includes(t)));

  const steps: PlannedStep[] = main.slice(start, endIndex + 1).filter(selected).map((step) => ({
    step,
    skipReason: step.kind === 'skip' ? (step.type === 'command' && step.reason ? step.reason : 'shown only, never run') : undefined,
  }));
  const cleanup = runbook.steps.filter((s) => s.kind === 'cleanup' && onTarget(s, target) && inShard(s) && selected(s));
  return { target, steps, cleanup, shard, main };
}
