// The context guard: before a step of a target that names a kube context runs, the context the
// session would use must match the target's `context` glob. Otherwise a tutorial meant for a
// throwaway kind cluster could run against production.
//
// The rule:
// - targets without `context` need no cluster: nothing is checked;
// - steps tagged `provision` may run before the context exists (they create the cluster);
// - every other step needs the session's current context (from its KUBECONFIG, or ~/.kube/config)
//   to exist, to match the glob, and, with --context NAME, to still be NAME.
import type { Step, TargetSettings } from '../model.ts';
import { contextMatches, readKubeconfig, type KubeconfigView } from './kubeconfig.ts';

export const PROVISION_TAG = 'provision';

export interface GuardInput {
  step: Step;
  target?: TargetSettings;
  kubeContext?: string;
  env: Record<string, string>;
}

/** A reason to refuse the step, or undefined when it may run. */
export function checkContext({ step, target, kubeContext, env }: GuardInput): string | undefined {
  if (step.tags.includes(PROVISION_TAG)) return undefined;
  return targetClusterProblem({ target, kubeContext, env });
}

/** Why the session's kubeconfig does not select the target's cluster right now, or undefined. */
export function targetClusterProblem({ target, kubeContext, env }: Omit<GuardInput, 'step'>): string | undefined {
  if (!target?.context) return undefined;
  const view = readKubeconfig(env, env.PWD);
  const problem = contextProblem(view, { ...target, context: target.context }, kubeContext);
  return problem && `${problem.what}. ${problem.fix}`;
}

export interface ContextProblem {
  what: string;
  fix: string;
}

/** Why the kubeconfig does not select the target's cluster, or undefined when it does. */
export function contextProblem(view: KubeconfigView, target: TargetSettings & { context: string }, kubeContext?: string): ContextProblem | undefined {
  const expected = target.context;
  const current = view.currentContext;
  const fix = switchHint(view, expected);
  if (view.broken.length) return { what: `cannot read kubeconfig ${view.broken[0].file}: ${view.broken[0].reason}`, fix: 'fix or remove that file' };
  if (!current) {
    return { what: `there is no current kube context (${describeSource(view)}); target ${target.name} expects "${expected}"`, fix };
  }
  if (kubeContext && current !== kubeContext) {
    return { what: `the current kube context is "${current}", but the run was started with --context ${kubeContext} (a step switched it)`, fix };
  }
  if (!contextMatches(expected, current)) {
    return { what: `the current kube context is "${current}", but target ${target.name} expects "${expected}"`, fix };
  }
  if (!view.contexts.has(current)) {
    return {
      what: `the kube context "${current}" is not defined in ${describeSource(view)}`,
      fix: `create the cluster first (steps tagged ${PROVISION_TAG}) or fix the kubeconfig`,
    };
  }
  return undefined;
}

function describeSource(view: KubeconfigView): string {
  return view.read.length ? `read from ${view.source}` : `no kubeconfig found: ${view.source}`;
}

/** `kubectl config use-context NAME` with a real name when exactly one context matches the glob. */
function switchHint(view: KubeconfigView, expected: string): string {
  const candidates = [...view.contexts.keys()].filter((name) => contextMatches(expected, name));
  if (candidates.length === 1) return `Switch with: kubectl config use-context ${candidates[0]}  (or run with --context ${candidates[0]})`;
  if (candidates.length) return `Contexts that match: ${candidates.join(', ')}; switch with: kubectl config use-context NAME  (or run with --context NAME)`;
  return `No context in the kubeconfig matches "${expected}" (see: kubectl config get-contexts); create the cluster first (its steps are tagged ${PROVISION_TAG}), or point KUBECONFIG at the kubeconfig that has it`;
}
