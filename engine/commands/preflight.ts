// Checks made before a run starts any step: the tools the chosen target needs are installed, the
// services they depend on answer (Docker daemon for kind, AWS credentials for eksctl/aws), and the
// target's cluster is reachable with Ready nodes — unless the run creates it. Failing fast here
// (exit 2, within seconds) beats failing half-way through a cluster build.
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import type { Runbook, TargetSettings } from '../model.ts';
import type { Plan } from '../plan.ts';
import { bashProblem, browserProblem } from './local-prerequisites.ts';

export interface PreflightProblem {
  what: string;
  fix: string;
}

const INSTALL_HINTS: Record<string, string> = {
  kubectl: 'install kubectl: https://kubernetes.io/docs/tasks/tools/ (Debian: apt-get install kubectl from the Kubernetes apt repo; macOS: brew install kubectl)',
  docker: 'install Docker Engine or Docker Desktop and start it: https://docs.docker.com/engine/install/',
  kind: 'install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (macOS: brew install kind; Go: go install sigs.k8s.io/kind@latest)',
  eksctl: 'install eksctl: https://eksctl.io/installation/ (macOS: brew install eksctl)',
  aws: 'install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html, then run aws configure',
  curl: 'install curl (Debian: apt-get install curl; macOS: preinstalled)',
  openssl: 'install OpenSSL (Debian: apt-get install openssl; macOS: brew install openssl)',
  istioctl: 'the runbook downloads istioctl itself; to install by hand: https://istio.io/latest/docs/setup/getting-started/#download',
};

export function installHint(tool: string): string {
  return INSTALL_HINTS[tool] ?? `install ${tool} and make sure it is on PATH`;
}

/** Absolute path of an executable found on PATH, or undefined. */
export function which(tool: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

export function missingTools(target: TargetSettings | undefined): PreflightProblem[] {
  return (target?.requires ?? [])
    .filter((tool) => !which(tool))
    .map((tool) => ({ what: `${tool} is not installed (needed by target ${target!.name})`, fix: installHint(tool) }));
}

export interface PreflightContext {
  kubeContext?: string;
  plan: Plan;
  /** What was found ('ok') or why a check was not needed ('note'), for `runbook doctor`. */
  report?: (line: string, kind?: 'ok' | 'note') => void;
  /** The environment the session will start with (vars:, --set): credentials (AWS_PROFILE, exec plugins) come from it. */
  env?: NodeJS.ProcessEnv;
}

export type PreflightCheck = (runbook: Runbook, target: TargetSettings | undefined, context: PreflightContext) => Promise<PreflightProblem[]>;

/** Docker daemon for targets that need docker, working AWS credentials for targets that need aws. */
export async function toolServices(target: TargetSettings | undefined, context: PreflightContext): Promise<PreflightProblem[]> {
  const needs = (tool: string) => Boolean(target?.requires.includes(tool) && which(tool));
  const { awsCredentials, dockerDaemon, AWS_FIX, DOCKER_FIX } = await import('../kube/prerequisites.ts');
  const checks = [
    needs('docker') && dockerDaemon(context.env).then((r) => ({ r, what: `the Docker daemon is not reachable: ${r.detail}`, fix: DOCKER_FIX })),
    needs('aws') && awsCredentials(context.env).then((r) => ({ r, what: `AWS credentials do not work: ${r.detail}`, fix: AWS_FIX })),
  ].filter((c): c is Promise<{ r: { ok: boolean; detail: string }; what: string; fix: string }> => Boolean(c));
  const problems: PreflightProblem[] = [];
  for (const { r, what, fix } of await Promise.all(checks)) {
    if (r.ok) context.report?.(r.detail);
    else problems.push({ what, fix });
  }
  return problems;
}

/** The target's cluster: context, reachability, Ready nodes (not required when the plan creates it). */
export async function clusterReady(target: TargetSettings | undefined, context: PreflightContext): Promise<PreflightProblem[]> {
  if (!target?.context) return [];
  const createsCluster = context.plan.steps.some(({ step, skipReason }) => !skipReason && step.tags.includes('provision'));
  const { checkCluster } = await import('../kube/cluster-check.ts');
  return checkCluster({
    target: { ...target, context: target.context },
    kubeContext: context.kubeContext,
    env: context.env ?? process.env,
    createsCluster,
    report: (line, kind) => context.report?.(line, kind),
  });
}

/** Checks run before `run` starts; features add theirs to this list. */
export const PREFLIGHT_CHECKS: PreflightCheck[] = [
  async () => bashProblem(),
  async (_runbook, _target, context) => browserProblem(context.plan),
  async (_runbook, target) => missingTools(target),
  async (_runbook, target, context) => toolServices(target, context),
  async (_runbook, target, context) => clusterReady(target, context),
];
