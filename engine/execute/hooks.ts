// Extension points of a run, for features that watch over it without the executor knowing
// about them: the Kubernetes context guard (before each step), failure diagnostics (after a
// failed step) and cluster facts (after the run).
import type { Runbook, Step, TargetSettings } from '../model.ts';
import type { RunResult, StepResult } from './results.ts';

export interface HookContext {
  runbook: Runbook;
  target?: TargetSettings;
  kubeContext?: string;
  /** The session's exported environment right now (KUBECONFIG, PATH, …). */
  env(): Promise<Record<string, string>>;
  /** Per-run objects shared with directive handlers. */
  shared: Map<string, unknown>;
  /** Everything run so far, in order. */
  results: readonly StepResult[];
}

export interface RunHook {
  name: string;
  /** Return a reason to refuse this step: the run stops at once, exit 2, and no later step or cleanup runs. */
  beforeStep?(step: Step, ctx: HookContext): Promise<string | undefined>;
  /** Extra facts about a failure (pods, events, logs), stored in the step result's data. */
  afterStepFailed?(result: StepResult, ctx: HookContext): Promise<Record<string, unknown> | undefined>;
  /** Facts about the environment for the report and the docs' provenance. */
  afterRun?(result: RunResult, ctx: HookContext): Promise<Record<string, unknown> | undefined>;
}

export const RUN_HOOKS: RunHook[] = [];
