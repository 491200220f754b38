// The main steps of a run, in plan order: each one guarded, recorded for --from, run, and on
// failure diagnosed. With a step control a person steers: skip, run the last step again, jump
// forward, retry after a failure (perhaps after fixing things in a shell), or stop.
import type { Runbook, Step } from '../model.ts';
import type { Plan } from '../plan.ts';
import type { Reporter } from '../progress/reporter.ts';
import type { Session } from './session.ts';
import type { StateStore } from './state.ts';
import type { HookContext, RunHook } from './hooks.ts';
import { isFailure, mergeAttempts, type ManualActions, type StepResult } from './results.ts';
import { groupAlive } from './processes.ts';
import { keepsRunning, startsProcesses } from './resume.ts';
import { commandText, type StepExecutor } from './step-executor.ts';
import type { StepControl, StepView } from './step-control.ts';

export interface MainStepsInput {
  runbook: Runbook;
  plan: Plan;
  session: Session;
  store: StateStore;
  reporter: Reporter;
  redact: (text: string) => string;
  runStep: StepExecutor;
  hooks: readonly RunHook[];
  hookContext: HookContext;
  notes: string[];
  /** Steps that left something running (step id → process group of a background step). */
  alive: Map<string, number | undefined>;
  keepGoing: boolean;
  signal: AbortSignal;
  control?: StepControl;
}

export interface MainStepsOutcome {
  /** Results by plan index; indexes without one were not run. */
  results: Map<number, StepResult>;
  failed: boolean;
  interrupted: boolean;
  /** A guard refused a step: the run exits 2 and touches nothing more. */
  refused?: string;
  /** Why the steps without a result did not run. */
  stopReason?: string;
}

type Flow = 'next' | 'stop';

export function emptyOutcome(): MainStepsOutcome {
  return { results: new Map(), failed: false, interrupted: false };
}

/** Runs the main steps into `out`, which keeps what ran even when this throws (the session died). */
export async function runMainSteps(input: MainStepsInput, out: MainStepsOutcome): Promise<void> {
  const { plan, session, store, reporter, control, signal, alive } = input;
  const total = plan.steps.length;
  let previous: number | undefined; // plan index of the step run last

  const view = (index: number): StepView => ({
    runbook: input.runbook,
    plan,
    index,
    session,
    previous: previous === undefined ? undefined : out.results.get(previous),
  });
  const runningNow = () => [...alive].filter(([, pgid]) => pgid === undefined || groupAlive(pgid)).map(([id]) => id);
  const stopFor = (why: string): Flow => {
    out.stopReason ??= why;
    return 'stop';
  };
  const show = (index: number, r: StepResult) => {
    reporter.stepStart(r.step, index, total, 'main');
    reporter.stepEnd(r);
  };
  const setManual = (r: StepResult, manual: ManualActions) => (r.manual = { ...r.manual, ...manual });

  /** Asks every guard; a refusal stops the run before the step starts. */
  const guard = async (step: Step): Promise<boolean> => {
    for (const hook of input.hooks) {
      const reason = await hook.beforeStep?.(step, input.hookContext);
      if (reason) {
        out.refused = `${hook.name}: ${reason}`;
        reporter.note(`refusing to run ${step.id} (${step.position.file}:${step.position.line}): ${reason}`);
        return false;
      }
    }
    return true;
  };
  const diagnose = async (result: StepResult) => {
    for (const hook of input.hooks) {
      try {
        const data = await hook.afterStepFailed?.(result, input.hookContext);
        if (data) result.data = { ...result.data, ...data };
      } catch (e) {
        input.notes.push(`${hook.name}: could not collect diagnostics: ${(e as Error).message}`);
      }
    }
  };

  const pendingShell = new Set<number>(); // a shell was opened after the last attempt of these

  /** One attempt of the step at a plan index; undefined when a guard refused it. */
  const attempt = async (index: number): Promise<StepResult | undefined> => {
    const { step } = plan.steps[index];
    if (session.lastState) store.record(step.id, session.lastState.text, runningNow());
    if (!(await guard(step))) return undefined;
    reporter.stepStart(step, index, total, 'main');
    const stepAbort = control && new AbortController(); // a steered run's Ctrl-C ends only this step
    control?.stepRunning(() => stepAbort?.abort());
    let r: StepResult;
    try {
      r = await input.runStep(step, 'main', stepAbort ? AbortSignal.any([signal, stepAbort.signal]) : signal, (live) => reporter.stepOutput?.(step, live));
    } finally {
      control?.stepRunning(undefined);
    }
    if (stepAbort?.signal.aborted && !signal.aborted) r.message = 'interrupted (Ctrl-C): only this step was stopped';
    store.noteRan(step);
    if (keepsRunning(r)) alive.set(step.id, r.processGroup);
    const earlier = out.results.get(index);
    if (earlier && earlier.status !== 'not run' && earlier.status !== 'skipped') r = mergeAttempts(earlier, r, pendingShell.has(index));
    pendingShell.delete(index);
    out.results.set(index, r);
    previous = index;
    reporter.stepEnd(r);
    return r;
  };

  /** Runs a step; after a failure asks what to do until it passes or the person moves on. */
  const runAt = async (index: number): Promise<Flow> => {
    let r = await attempt(index);
    if (!r) return stopFor(`refused to run ${plan.steps[index].step.id}: ${out.refused}`);
    let diagnosed = false;
    while (isFailure(r)) {
      if (signal.aborted) {
        out.interrupted = true;
        return stopFor('the run was interrupted');
      }
      if (!diagnosed) {
        await diagnose(r);
        diagnosed = true;
      }
      const choice = control ? await control.afterFailure(r, view(index)) : { do: 'default' as const, shells: 0 };
      if (choice.shells) {
        setManual(r, { shells: (r.manual?.shells ?? 0) + choice.shells });
        pendingShell.add(index);
      }
      if (choice.do === 'retry') {
        const next = await attempt(index);
        if (!next) return stopFor(`refused to run ${plan.steps[index].step.id}: ${out.refused}`);
        r = next;
        continue;
      }
      out.failed = true;
      if (choice.do === 'skip') {
        setManual(r, { leftFailed: true });
        return 'next';
      }
      if (choice.do === 'quit') return quit();
      return input.keepGoing ? 'next' : stopFor(`${r.step.id} failed before it`);
    }
    return 'next';
  };
  const quit = (): Flow => {
    out.interrupted = true;
    return stopFor('the run was stopped with q');
  };

  let index = 0;
  while (index < total) {
    if (signal.aborted) {
      out.interrupted = true;
      stopFor('the run was interrupted');
      break;
    }
    const { step, skipReason } = plan.steps[index];
    if (skipReason) {
      const skipped = skippedStep(step, skipReason);
      out.results.set(index, skipped);
      show(index, skipped);
      index++;
      continue;
    }
    const choice = control ? await control.beforeStep(view(index)) : { do: 'run' as const };
    if (signal.aborted) continue; // ends at the top of the loop
    if (choice.do === 'quit') {
      quit();
      break;
    }
    if (choice.do === 'skip') {
      const skipped = manualSkip(step, 'by hand');
      out.results.set(index, skipped);
      show(index, skipped);
      index++;
      continue;
    }
    if (choice.do === 'rerun-previous') {
      if (previous !== undefined && (await runAt(previous)) === 'stop') break;
      continue;
    }
    if (choice.do === 'jump') {
      if ((await jumpOver(index, choice.to)) === 'stop') break;
      index = choice.to;
      continue;
    }
    if ((await runAt(index)) === 'stop') break;
    index++;
  }

  /** Steps passed over by a jump are skipped by hand — except those that start what later steps need. */
  async function jumpOver(from: number, to: number): Promise<Flow> {
    for (let i = from; i < to; i++) {
      const planned = plan.steps[i];
      if (planned.skipReason) {
        out.results.set(i, skippedStep(planned.step, planned.skipReason));
      } else if (startsProcesses(planned.step)) {
        reporter.note(`running ${planned.step.id} although the jump passes over it: it starts something later steps use`);
        const flow = await runAt(i);
        const r = out.results.get(i);
        if (r) setManual(r, { startedOnJump: true });
        if (flow === 'stop') return 'stop';
        continue;
      } else {
        out.results.set(i, manualSkip(planned.step, 'by jump'));
      }
      show(i, out.results.get(i)!);
    }
    return 'next';
  }

  /** A step the plan skips (skip kind, another target, tags) or a person passed over (`manual`). */
  function skippedStep(step: Step, message: string, manual?: StepResult['manual']): StepResult {
    const result: StepResult = { step, phase: 'main', command: input.redact(commandText(step)), status: 'skipped', attempts: 0, durationMs: 0, exitCode: null, output: '', message };
    if (manual) result.manual = manual;
    return result;
  }
  function manualSkip(step: Step, how: 'by hand' | 'by jump'): StepResult {
    return skippedStep(step, how === 'by hand' ? 'skipped by hand' : 'skipped by a jump', { skipped: how });
  }
}
