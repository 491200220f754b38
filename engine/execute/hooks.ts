// Extension points of a run, for features that watch over it without the executor knowing about
// them: the Kubernetes context guard (before each step), the leftovers check (after each step),
// failure diagnostics (after a failed step) and cluster facts (after the run). The command that
// starts a run passes the hooks it wants in RunOptions.hooks.
import type { Redactor } from '../write/redact.ts';
import type { Runbook, Step, TargetSettings } from '../model.ts';
import type { Plan } from '../plan.ts';
import type { RunObjects } from '../directives/run-objects.ts';
import type { RunResult, StepResult } from './results.ts';

export interface HookContext {
  runbook: Runbook;
  plan: Plan;
  target?: TargetSettings;
  kubeContext?: string;
  /** The session's exported environment right now (KUBECONFIG, PATH, …). */
  env(): Promise<Record<string, string>>;
  /** Per-run objects shared with directive runners. */
  shared: RunObjects;
  /** Everything run so far, in order. */
  results: readonly StepResult[];
  /** The run's redaction: built-in patterns, `redact:`, and the secrets learned so far. */
  redact: Redactor;
}

/** What an afterStep hook found: a failure of the step (with why), or a note for the run's report. */
export interface StepVerdict {
  fail?: string;
  note?: string;
  data?: Record<string, unknown>;
}

export interface RunHook {
  name: string;
  /** Return a reason to refuse this step: the run stops at once, exit 2, and no later step or cleanup runs. */
  beforeStep?(step: Step, ctx: HookContext): Promise<string | undefined>;
  /** After a main step ran (passed or not): may turn a pass into a failure, or add a note. */
  afterStep?(result: StepResult, ctx: HookContext): Promise<StepVerdict | undefined>;
  /** Extra facts about a failure (pods, events, logs), stored in the step result's data. */
  afterStepFailed?(result: StepResult, ctx: HookContext): Promise<Record<string, unknown> | undefined>;
  /** Facts about the environment for the report and the docs' provenance. */
  afterRun?(result: RunResult, ctx: HookContext): Promise<Record<string, unknown> | undefined>;
}

/** Applies the afterStep hooks' verdicts to a result; returns the notes they added. */
export async function judgeStep(hooks: readonly RunHook[], result: StepResult, ctx: HookContext): Promise<string[]> {
  const notes: string[] = [];
  for (const hook of hooks) {
    let verdict: StepVerdict | undefined;
    try {
      verdict = await hook.afterStep?.(result, ctx);
    } catch (e) {
      notes.push(`${hook.name}: ${(e as Error).message}`);
      continue;
    }
    if (!verdict) continue;
    if (verdict.data) result.data = { ...result.data, ...verdict.data };
    if (verdict.note) notes.push(`${hook.name}: ${verdict.note}`);
    if (verdict.fail && result.status === 'passed') {
      result.status = 'failed';
      result.message = verdict.fail;
    } else if (verdict.fail) {
      result.message = `${result.message ?? ''}\n${verdict.fail}`.trim();
    }
  }
  return notes;
}
