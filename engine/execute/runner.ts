// Runs a plan: one session, the steps in order (steered by a person when a step control is
// given), then the cleanup steps whatever happened, then teardown of everything the run
// started. Every planned step ends up in the result, run or not. Knows nothing of Markdown.
import type { Runbook, Step } from '../model.ts';
import type { Plan } from '../plan.ts';
import type { Reporter } from '../progress/reporter.ts';
import { isSecretName, makeRedactor, secretValues } from '../write/redact.ts';
import { Session } from './session.ts';
import { runCommandStep } from './command-step.ts';
import { runDirectiveStep } from './directive-step.ts';
import { StateStore, type SavedState } from './state.ts';
import { isFailure, notRun, type RunResult, type StepResult } from './results.ts';
import { judgeStep, type HookContext, type RunHook } from './hooks.ts';
import { RunObjects } from '../directives/run-objects.ts';
import { LiveOutput } from './live-output.ts';
import { restoreSaved } from './resume.ts';
import { emptyOutcome, runMainSteps, type MainStepsOutcome } from './main-steps.ts';
import type { StepControl } from './step-control.ts';
import { commandText, type StepExecutor } from './step-executor.ts';


export interface RunOptions {
  workdir: string;
  sets: Record<string, string>;
  keepGoing: boolean;
  /** --from: the saved state to resume from (checked against the runbook beforehand). */
  resume?: SavedState;
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
  /** A person steering the run (--interactive, --shell-on-failure). */
  control?: StepControl;
}

export async function executePlan(runbook: Runbook, plan: Plan, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const { reporter } = options;
  const redact = makeRedactor(runbook.settings.redact, secretValues(options.env ?? process.env, runbook.settings.vars, options.sets));
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
  const store = new StateStore(runbook.root, runbook.path, (entry) => (entry.kind === 'var' && isSecretName(entry.name)) || redact(entry.text) !== entry.text);
  const ran: StepResult[] = [];
  const hookContext: HookContext = {
    runbook,
    plan,
    target: plan.target,
    kubeContext: options.kubeContext,
    env: () => session.env(),
    redact,
    shared,
    results: ran,
  };

  const runStep: StepExecutor = async (step, phase, signal, live) => {
    const common = { session, signal, defaultTimeoutMs: runbook.settings.timeoutMs, redact };
    if (step.type === 'command' && step.kind !== 'background') live?.(new LiveOutput(() => session.captureFile(), redact));
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
    ran.push(result);
    return result;
  };
  const notRunResult = (step: Step, phase: StepResult['phase'], why: string) => notRun(step, phase, redact(commandText(step)), why);

  const main: MainStepsOutcome = emptyOutcome();
  const result: RunResult = {
    status: 'passed',
    target: plan.target,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    steps: [],
    facts: {},
    notes,
    resumedFrom: options.resume?.stepId,
    interactive: Boolean(options.control) || undefined,
  };
  let stopped: string | undefined; // why the main steps did not start, or stopped with an error
  try {
    await session.ready();
    const containment = session.containmentWarning;
    if (containment) reporter.note(containment);
    const baseline = await session.snapshot();
    store.setBaseline(baseline.text);
    store.setPlanned(plan.main.map((s) => s.id));
    const alive = new Map<string, number | undefined>();
    if (options.resume) {
      stopped = await resume(options.resume, alive);
    }
    if (!stopped) {
      await runMainSteps({ runbook, plan, session, store, reporter, redact, runStep, hooks, hookContext, notes, alive, keepGoing: options.keepGoing, signal: options.signal, control: options.control }, main);
    }
  } catch (e) {
    main.failed = true;
    stopped = (e as Error).message;
    notes.push(stopped);
    reporter.note(stopped);
  }
  if (options.signal.aborted) main.interrupted = true;

  try {
    store.flush();
  } catch (e) {
    notes.push(`could not save the session state for --from: ${(e as Error).message}`);
  }

  // Cleanup runs however the main steps ended; a second Ctrl-C cuts it short.
  const cleanupSignal = options.hardSignal ?? new AbortController().signal;
  const cleanupResults: StepResult[] = [];
  for (let i = 0; i < plan.cleanup.length; i++) {
    const step = plan.cleanup[i];
    // A refused run touches nothing, cleanup included — except cleanup tagged `provision` (deleting
    // a cluster the run created), which the guard never needed a kube context for: a cluster
    // created and then refused would otherwise be left running (and billing).
    if (main.refused && !step.tags.includes('provision')) {
      cleanupResults.push(notRunResult(step, 'cleanup', 'not run: the run was refused, so it touched nothing'));
      continue;
    }
    if (cleanupSignal.aborted) {
      cleanupResults.push(notRunResult(step, 'cleanup', 'not run: cleanup was cut short by a second interrupt'));
      continue;
    }
    try {
      reporter.stepStart(step, i, plan.cleanup.length, 'cleanup');
      const r = await runStep(step, 'cleanup', cleanupSignal, (live) => reporter.stepOutput?.(step, live));
      reporter.stepEnd(r);
      cleanupResults.push(r);
      if (isFailure(r)) main.failed = true;
    } catch (e) {
      main.failed = true;
      notes.push(`cleanup ${step.id}: ${(e as Error).message}`);
      cleanupResults.push(notRunResult(step, 'cleanup', `not run: ${(e as Error).message}`));
    }
  }

  for (const teardown of teardowns.reverse()) {
    try {
      await teardown();
    } catch (e) {
      notes.push(`teardown: ${(e as Error).message}`);
    }
  }

  const why = `not run: ${stopped ?? main.stopReason ?? 'the run ended before it'}`;
  const mainResults = plan.steps.map(({ step }, i) => main.results.get(i) ?? notRunResult(step, 'main', why));
  Object.assign(result, {
    status: main.interrupted || options.signal.aborted ? 'interrupted' : main.failed || main.refused ? 'failed' : 'passed',
    durationMs: Date.now() - started,
    steps: [...mainResults, ...cleanupResults],
    refused: main.refused,
  } satisfies Partial<RunResult>);
  for (const hook of hooks) {
    try {
      Object.assign(result.facts, await hook.afterRun?.(result, hookContext));
    } catch (e) {
      notes.push(`${hook.name}: ${(e as Error).message}`);
    }
  }
  await session.close();
  return result;

  /** Restores the saved state and starts again what was running; a reason when the run cannot go on. */
  async function resume(saved: SavedState, alive: Map<string, number | undefined>): Promise<string | undefined> {
    store.resumeFrom(saved);
    const restored = await restoreSaved(session, saved, { timeoutMs: runbook.settings.timeoutMs, signal: options.signal });
    for (const note of restored.notes) {
      notes.push(note);
      reporter.note(note);
    }
    if (!restored.ok) {
      reporter.note(restored.message!);
      if (restored.interrupted) main.interrupted = true;
      else {
        main.refused = `resume: ${restored.message}`;
        notes.push(restored.message!);
      }
      return restored.message;
    }
    if (Object.keys(options.sets).length) await session.exportVars(options.sets);
    result.restarted = [];
    const byId = new Map(runbook.steps.map((s) => [s.id, s]));
    for (const id of saved.running) {
      const step = byId.get(id)!;
      reporter.note(`starting ${id} (${step.position.file}:${step.position.line}) again: it was running when the state before ${saved.stepId} was saved`);
      const r = await runStep(step, 'main', options.signal);
      result.restarted.push({ id, file: step.position.file, line: step.position.line, status: r.status, message: r.message });
      if (r.status !== 'passed') {
        main.failed = true;
        const why = `could not start ${id} again for --from ${saved.stepId}: ${r.message ?? r.status}`;
        notes.push(why);
        reporter.note(why);
        return why;
      }
      alive.set(id, r.processGroup);
    }
    return undefined;
  }
}
