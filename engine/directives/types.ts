// The contract between the executor and directive handlers (wait, ingress, port-forward,
// screenshot). A handler gets the step with its attributes already expanded from the session's
// environment, does its work, and may export variables into the session.
import type { DirectiveStep, Runbook, TargetSettings } from '../model.ts';
import type { RunObjects } from './run-objects.ts';

export interface DirectiveContext {
  step: DirectiveStep;
  /** Attributes with $VAR / ${VAR} expanded from the session's environment. */
  attrs: Record<string, string>;
  runbook: Runbook;
  target?: TargetSettings;
  /** --context given on the command line, if any (handlers using the kube API must honour it). */
  kubeContext?: string;
  /** The session's exported environment when the step started (KUBECONFIG, PATH, …). */
  env: Record<string, string>;
  /** The session's working directory when the step started; relative paths resolve against it. */
  cwd: string;
  timeoutMs: number;
  /** Aborted on timeout or interrupt: stop waiting and return. */
  signal: AbortSignal;
  /** Appends a line to the step's captured output. */
  log(line: string): void;
  /** Short status for the progress line ("2/3 pods ready; waiting for reviews-v2"). */
  progress(status: string): void;
  /** Exports variables into the session for the following steps. */
  exportVars(vars: Record<string, string>): Promise<void>;
  /** Registers teardown that runs when the run ends, however it ends (port-forwards, browsers). */
  onRunEnd(teardown: () => Promise<void> | void): void;
  /** The run's shared objects (its browser, kube clients, port-forwards, facts). */
  shared: RunObjects;
}

export interface DirectiveOutcome {
  ok: boolean;
  /** Why it failed, in one or two sentences a user can act on. */
  message?: string;
  /** Extra facts for reports (screenshot drift, cluster facts, diagnostics). */
  data?: Record<string, unknown>;
}

export interface DirectiveHandler {
  run(ctx: DirectiveContext): Promise<DirectiveOutcome>;
}
