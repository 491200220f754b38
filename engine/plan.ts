// Chooses which steps a run executes, in order: by target, --from/--until, --only and --tags.
// Cleanup steps always come last, in document order.
import type { Runbook, Step, TargetSettings } from './model.ts';
import { RunbookError } from './errors.ts';

export interface PlanOptions {
  target?: string;
  from?: string;
  until?: string;
  only?: string[];
  tags?: string[];
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

export function onTarget(step: Step, target?: TargetSettings): boolean {
  return step.targets.length === 0 || (target !== undefined && step.targets.includes(target.name));
}

export function makePlan(runbook: Runbook, options: PlanOptions): Plan {
  const target = chooseTarget(runbook, options.target);
  const ids = new Set(runbook.steps.map((s) => s.id));
  for (const [flag, id] of [['--from', options.from], ['--until', options.until], ...(options.only ?? []).map((i) => ['--only', i])] as const) {
    if (id !== undefined && !ids.has(id)) {
      throw new RunbookError(`${flag} ${id}: no step has that id`, undefined, undefined, 'See the ids with: runbook list');
    }
  }
  const main = runbook.steps.filter((s) => s.kind !== 'cleanup' && onTarget(s, target));
  const start = options.from ? main.findIndex((s) => s.id === options.from) : 0;
  const endIndex = options.until ? main.findIndex((s) => s.id === options.until) : main.length - 1;
  if (options.from && start === -1) throw new RunbookError(`--from ${options.from} is a cleanup step or not on target ${target?.name}`);
  if (options.until && endIndex === -1) throw new RunbookError(`--until ${options.until} is a cleanup step or not on target ${target?.name}`);
  const selected = (s: Step) =>
    (!options.only?.length || options.only.includes(s.id)) && (!options.tags?.length || s.tags.some((t) => options.tags!.includes(t)));

  const steps: PlannedStep[] = main.slice(start, endIndex + 1).filter(selected).map((step) => ({
    step,
    skipReason: step.kind === 'skip' ? (step.type === 'command' && step.reason ? step.reason : 'shown only, never run') : undefined,
  }));
  const cleanup = runbook.steps.filter((s) => s.kind === 'cleanup' && onTarget(s, target) && selected(s));
  return { target, steps, cleanup };
}
