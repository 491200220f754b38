// Runs a directive step: expands its attributes from the session's environment, checks the
// expanded values against the directive's record, loads its runner, and gives it a context with a
// deadline, logging and teardown registration.
import type { DirectiveStep, Runbook, TargetSettings } from '../model.ts';
import { definitionOf } from '../directives/index.ts';
import { expandVars, UnsetVariableError } from '../directives/expand.ts';
import type { RunObjects } from '../directives/run-objects.ts';
import { attributeProblem } from '../directives/validate.ts';
import { formatDuration } from '../read/duration.ts';
import type { Session } from './session.ts';
import type { StepOutcomeFields, StepResult } from './results.ts';

export interface DirectiveEnv {
  session: Session;
  runbook: Runbook;
  target?: TargetSettings;
  kubeContext?: string;
  signal: AbortSignal;
  defaultTimeoutMs: number;
  redact: (text: string) => string;
  teardowns: (() => Promise<void> | void)[];
  shared: RunObjects;
  onProgress?: (status: string) => void;
}

export async function runDirectiveStep(step: DirectiveStep, env: DirectiveEnv): Promise<StepOutcomeFields> {
  const startedAt = Date.now();
  const lines: string[] = [];
  const budget = step.timeoutMs ?? env.defaultTimeoutMs;
  const result = (status: StepResult['status'], message?: string, data?: Record<string, unknown>) => ({
    status,
    attempts: 1,
    durationMs: Date.now() - startedAt,
    startedAt: new Date(startedAt).toISOString(),
    exitCode: null,
    output: env.redact(lines.join('\n')),
    message: message && env.redact(message),
    data,
  });

  const definition = definitionOf(step);
  if (!definition) return result('failed', `the ${step.verb} directive is not available in this build of the engine`);
  const sessionEnv = await env.session.env();
  let attrs: Record<string, string>;
  try {
    attrs = Object.fromEntries(Object.entries(step.attrs).map(([k, v]) => [k, expandVars(v, sessionEnv)]));
  } catch (e) {
    if (e instanceof UnsetVariableError) return result('failed', `${e.message}; export it in an earlier step (a plain assignment is not enough) or set it in vars:`);
    throw e;
  }
  const expanded = Object.fromEntries(Object.entries(attrs).filter(([k]) => step.attrs[k].includes('$')));
  const problem = attributeProblem(definition, { ...step.attrs, ...expanded }, 'run', step.flags);
  if (problem) {
    const from = Object.keys(expanded).map((k) => `${k}=${step.attrs[k]}`).join(', ');
    return result('failed', `${step.position.file}:${step.position.line}: ${problem}${from ? ` (expanded from ${from})` : ''}`);
  }
  const handler = await definition.load();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), budget);
  const signal = AbortSignal.any([timeout.signal, env.signal]);
  try {
    const outcome = await handler.run({
      step,
      attrs,
      runbook: env.runbook,
      target: env.target,
      kubeContext: env.kubeContext,
      env: sessionEnv,
      cwd: await env.session.cwd(),
      timeoutMs: budget,
      signal,
      log: (line) => lines.push(line),
      progress: (status) => env.onProgress?.(status),
      exportVars: (vars) => env.session.exportVars(vars),
      onRunEnd: (teardown) => env.teardowns.push(teardown),
      shared: env.shared,
    });
    if (outcome.ok) return result('passed', undefined, outcome.data);
    if (timeout.signal.aborted) return result('timedout', `timed out after ${formatDuration(budget)}${outcome.message ? `: ${outcome.message}` : ''}`, outcome.data);
    return result('failed', outcome.message ?? `${step.verb} failed`, outcome.data);
  } catch (e) {
    if (timeout.signal.aborted) return result('timedout', `timed out after ${formatDuration(budget)}: ${(e as Error).message}`);
    return result('failed', (e as Error).message);
  } finally {
    clearTimeout(timer);
  }
}
