// Checks made before a run starts any step: the tools the chosen target needs are installed.
// Failing fast here (exit 2) beats failing half-way through a cluster build.
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import type { Runbook, TargetSettings } from '../model.ts';
import type { Plan } from '../plan.ts';

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
}

export type PreflightCheck = (runbook: Runbook, target: TargetSettings | undefined, context: PreflightContext) => Promise<PreflightProblem[]>;

/** Checks run before `run` starts; features (Kubernetes, …) add theirs to this list. */
export const PREFLIGHT_CHECKS: PreflightCheck[] = [async (_runbook, target) => missingTools(target)];
