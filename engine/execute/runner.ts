// Runs a plan: one session, the steps in order, then the cleanup steps whatever happened, then
// teardown of everything the run started. Knows nothing of Markdown.
import type { Runbook, Step } from '../model.ts';
import type { Plan } from '../plan.ts';
import type { Reporter } from '../progress/reporter.ts';
import { makeRedactor, secretValues } from '../write/redact.ts';
import { Session } from './session.ts';
import { runCommandStep } from './command-step.ts';
import { runDirectiveStep } from './directive-step.ts';
import { StateStore } from './state.ts';
import type { RunResult, StepResult } from './results.ts';
import { judgeStep, type HookContext, type RunHook } from './hooks.ts';
import { RunObjects } from '../directives/run-objects.ts';

export interface RunOptions {
  workdir: string;
  sets: Record<string, string>;
  keepGoing: boolean;
  from?: string;
  kubeContext?: string;
  reporter: Reporter;
  /** Aborted by Ctrl-C / SIGTERM: the current step is ended and cleanup runs. */
  signal: AbortSignal;
  /** Aborted by a second Ctrl-C: cleanup is cut short too. */
  hardSignal?: AbortSignal;
  /** Extra environment for the session (tests). */
  env?: NodeJS.ProcessEnv;
  /** Called with the session once it exists, so exit handlers can kill its processes. */
  onSession?: (session: Session) => void;
  /** Per-run objects shared by directive handlers and run hooks (a browser, kube clients, facts). */
  shared?: RunObjects;
  /** What watches over the run (kube context guard, leftovers check, diagnostics, facts). */
  hooks?: readonly RunHook[];
}

/** What a step runs, for people: the code, or the directive as written. */
export function commandText(step: Step): string {
  if (step.type === 'command') return step.code;
  const attrs = Object.entries(step.attrs).map(([k, v]) => (/\s/.test(v) ? `${k}="${v}"` : `${k}=${v}`));
  return ['runbook:', step.verb, ...step.args, ...attrs, ...step.flags].join(' ');
}

export async function executePlan(runbook: Runbook, plan: Plan, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const { reporter } = options;
  const redact = makeRedactor(runbook.settings.redact, secretValues(options.env ?? process.env, runbook.settings.vars, options.sets));
  const results: StepResult[] = [];
  const notes: string[] = [];
  const teardowns: (() => Promise<void> | void)[] = [];
  const shared = options.shared ?? new RunObjects();
  const hooks = options.hooks ?? [];
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    ...runbook.settings.vars,
    ...options.sets,
    RUNBOOK_ROOT: runbook.root,
    RUNBOOK_TARGET: plan.target?.name ?? '',
  };
  const session = new Session({ env, cwd: options.workdir });
  options.onSession?.(session);
  const store = new StateStore(runbook.root, runbook.path);
  let interrupted = false;
  let failed = false;
  let refused: string | undefined;
  const hookContext: HookContext = {
    runbook,
    plan,
    target: plan.target,
    kubeContext: options.kubeContext,
    env: () => session.env(),
    shared,
    results,
  };
  /** Asks every guard; a refusal stops the run before the step starts. */
  const guard = async (step: Step): Promise<boolean> => {
    for (const hook of hooks) {
      const reason = await hook.beforeStep?.(step, hookContext);
      if (reason) {
        refused = `${hook.name}: ${reason}`;
        reporter.note(`refusing to run ${step.id} (${step.position.file}:${step.position.line}): ${reason}`);
        return false;
      }
    }
    return true;
  };
  const diagnose = async (result: StepResult) => {
    for (const hook of hooks) {
      try {
        const data = await hook.afterStepFailed?.(result, hookContext);
        if (data) result.data = { ...result.data, ...data };
      } catch (e) {
        notes.push(`${hook.name}: could not collect diagnostics: ${(e as Error).message}`);
      }
    }
  };

  const execute = async (step: Step, index: number, total: number, phase: 'main' | 'cleanup', signal: AbortSignal) => {
    reporter.stepStart(step, index, total, phase);
    const common = { session, signal, defaultTimeoutMs: runbook.settings.timeoutMs, redact };
    const partial =
      step.type === 'command'
        ? await runCommandStep(step, {
            ...common,
            rootDir: runbook.root,
            onAttempt: (attempt, detail) => reporter.stepStatus(step, `attempt ${attempt}${detail ? `: ${detail}` : ''}`),
          })
        : await runDirectiveStep(step, {
            ...common,
            runbook,
            target: plan.target,
            kubeContext: options.kubeContext,
            teardowns,
            shared,
            onProgress: (status) => reporter.stepStatus(step, status),
          });
    const result: StepResult = { step, phase, command: redact(commandText(step)), ...partial };
    if (phase === 'main') notes.push(...(await judgeStep(hooks, result, hookContext)).map(redact));
    if (result.message) result.message = redact(result.message);
    results.push(result);
    reporter.stepEnd(result);
    return result;
  };

  try {
    await session.ready();
    const containment = session.containmentWarning;
    if (containment) reporter.note(containment);
    const baseline = await session.snapshot();
    store.setBaseline(baseline.text);
    if (options.from) {
      const saved = store.load(options.from);
      if (saved === undefined) {
        throw new Error(`no saved session state before step ${options.from}: run the steps before it once (without --from) first`);
      }
      await session.restoreState(saved);
      if (Object.keys(options.sets).length) await session.exportVars(options.sets);
    }
    const total = plan.steps.length;
    for (let i = 0; i < plan.steps.length; i++) {
      const { step, skipReason } = plan.steps[i];
      if (options.signal.aborted) {
        interrupted = true;
        break;
      }
      if (skipReason) {
        reporter.stepStart(step, i, total, 'main');
        const skipped: StepResult = { step, phase: 'main', command: redact(commandText(step)), status: 'skipped', attempts: 0, durationMs: 0, exitCode: null, output: '', message: skipReason };
        results.push(skipped);
        reporter.stepEnd(skipped);
        continue;
      }
      if (session.lastState) store.record(step.id, session.lastState.text);
      if (!(await guard(step))) break;
      const result = await execute(step, i, total, 'main', options.signal);
      if (options.signal.aborted) {
        interrupted = true;
        break;
      }
      if (result.status === 'failed' || result.status === 'timedout') {
        failed = true;
        await diagnose(result);
        if (!options.keepGoing) break;
      }
    }
  } catch (e) {
    failed = true;
    notes.push((e as Error).message);
    reporter.note((e as Error).message);
  }

  try {
    store.flush();
  } catch (e) {
    notes.push(`could not save the session state for --from: ${(e as Error).message}`);
  }

  // Cleanup runs however the main steps ended; a second Ctrl-C cuts it short.
  const cleanupSignal = options.hardSignal ?? new AbortController().signal;
  for (const step of plan.cleanup) {
    if (cleanupSignal.aborted) break;
    // A refused run touches nothing, cleanup included — except cleanup tagged `provision` (deleting
    // a cluster the run created), which the guard never needed a kube context for: a cluster
    // created and then refused would otherwise be left running (and billing).
    if (refused && !step.tags.includes('provision')) continue;
    try {
      const r = await execute(step, 0, plan.cleanup.length, 'cleanup', cleanupSignal);
      if (r.status === 'failed' || r.status === 'timedout') failed = true;
    } catch (e) {
      failed = true;
      notes.push(`cleanup ${step.id}: ${(e as Error).message}`);
    }
  }

  for (const teardown of teardowns.reverse()) {
    try {
      await teardown();
    } catch (e) {
      notes.push(`teardown: ${(e as Error).message}`);
    }
  }

  const result: RunResult = {
    status: interrupted || options.signal.aborted ? 'interrupted' : failed || refused ? 'failed' : 'passed',
    target: plan.target,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    steps: results,
    facts: {},
    notes,
    refused,
  };
  for (const hook of hooks) {
    try {
      Object.assign(result.facts, await hook.afterRun?.(result, hookContext));
    } catch (e) {
      notes.push(`${hook.name}: ${(e as Error).message}`);
    }
  }
  await session.close();
  return result;
}
