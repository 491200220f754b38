// Before a run (and in `runbook doctor`): is the target's cluster there? The kube context must
// select it (same rule as the guard), the API server must answer /version within a few seconds,
// and at least one node must be Ready. Unless the run will create the cluster: when the plan has
// steps tagged `provision` and the cluster is not there yet, none of this is required.
import type { TargetSettings } from '../model.ts';
import { contextProblem, PROVISION_TAG } from './guard.ts';
import { contextMatches, readKubeconfig } from './kubeconfig.ts';

export interface ClusterProblem {
  what: string;
  fix: string;
}

export interface ClusterCheckInput {
  target: TargetSettings & { context: string };
  kubeContext?: string;
  env: Record<string, string | undefined>;
  /** The plan runs steps tagged `provision` (it creates the cluster). */
  createsCluster: boolean;
  /** What was found ('ok') or why a check is not needed ('note'), for `runbook doctor`. */
  report(line: string, kind?: 'ok' | 'note'): void;
  timeoutMs?: number;
}

export async function checkCluster(input: ClusterCheckInput): Promise<ClusterProblem[]> {
  const { target, kubeContext, env, createsCluster, report } = input;
  const view = readKubeconfig(env);
  if (kubeContext && !contextMatches(target.context, kubeContext)) {
    // A usage error whatever the plan does: the guard would refuse every step after provisioning.
    return [{ what: `--context ${kubeContext} does not match target ${target.name}'s context "${target.context}"`, fix: `pass a context that matches "${target.context}", or choose the target with --target` }];
  }
  if (kubeContext) view.currentContext = kubeContext; // --context: what the run will use
  const wrongContext = contextProblem(view, target);
  const notYet = (why: string) => {
    report(`${why}; the plan creates the cluster (steps tagged ${PROVISION_TAG}), so it is not required yet`, 'note');
    return [];
  };
  if (wrongContext) {
    if (createsCluster) return notYet(`cluster: ${wrongContext.what}`);
    return [{ what: `kube context: ${wrongContext.what}`, fix: wrongContext.fix }];
  }
  const context = view.currentContext!;
  const server = view.clusters.get(view.contexts.get(context)?.cluster ?? '')?.server ?? 'unknown server';
  const { kubeClients, abortable, apiErrorText, deadline } = await import('./client.ts');
  const timeoutMs = input.timeoutMs ?? 5000; // room for an exec credential plugin (aws eks get-token)
  let clients;
  let version;
  try {
    clients = kubeClients({ env, kubeContext });
    version = await clients.version.getCode({}, abortable(deadline(timeoutMs)));
  } catch (e) {
    const what = `the cluster of kube context ${context} (${server}) is not reachable: ${apiErrorText(e)}`;
    if (createsCluster) return notYet(what);
    return [{ what, fix: `start the cluster or fix its credentials, then check with: kubectl --context ${context} version` }];
  }
  let nodes;
  try {
    nodes = (await clients.core.listNode({}, abortable(deadline(timeoutMs)))).items;
  } catch (e) {
    return [{ what: `cannot list the nodes of ${context}: ${apiErrorText(e)}`, fix: `check your permissions with: kubectl --context ${context} get nodes` }];
  }
  const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  report(`cluster ${context} (${server}): Kubernetes ${version.gitVersion}, ${ready}/${nodes.length} nodes Ready`);
  if (ready === 0 && !createsCluster) {
    return [{ what: `no node of ${context} is Ready (0/${nodes.length})`, fix: `see why with: kubectl --context ${context} describe nodes` }];
  }
  return [];
}
