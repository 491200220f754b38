// When is a Deployment rolled out, when is a Pod ready, and if not, why not — in the words
// `kubectl rollout status` and `kubectl describe` would use. Pure functions over API objects (the
// wire form from a watch or the typed form from a list: only fields that look the same in both).
import type { V1Deployment, V1Pod, V1ContainerStatus } from '@kubernetes/client-node';

export interface Readiness {
  name: string;
  ready: boolean;
  /** Short state for the progress line: "0/1 available". */
  summary: string;
  /** Why not ready, for the timeout message (conditions, container reasons); empty when ready. */
  reasons: string[];
  /** Set when it will not get ready by waiting longer (a passed progress deadline): the wait fails at once. */
  failed?: string;
}

/**
 * What `kubectl rollout status` decides (kubectl pkg/polymorphichelpers/rollout_status.go,
 * DeploymentStatusViewer): once the controller has observed the newest generation, a passed
 * progress deadline (Progressing=False, ProgressDeadlineExceeded) is a failure at once; otherwise
 * the rollout waits while fewer than spec.replicas are updated, while old replicas are pending
 * termination (status.replicas > updatedReplicas), and while fewer updated replicas are available
 * than were updated.
 */
export function deploymentReadiness(d: V1Deployment): Readiness {
  const name = d.metadata?.name ?? '?';
  const wanted = d.spec?.replicas;
  const status = d.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const summary = `${available}/${wanted ?? 1} available`;
  const reasons: string[] = [];
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    reasons.push('the controller has not seen the newest spec yet');
  } else {
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      const failed = `deployment "${name}" exceeded its progress deadline${progressing.message ? ` (${progressing.message})` : ''}`;
      return { name, ready: false, summary, reasons: [failed, ...conditionReasons(d)], failed };
    }
    if (wanted !== undefined && updated < wanted) reasons.push(`${updated} of ${wanted} replicas updated`);
    else if (total > updated) reasons.push(`${total - updated} old replica(s) pending termination`);
    else if (available < updated) reasons.push(`${available} of ${updated} updated replicas available`);
  }
  if (reasons.length) reasons.push(...conditionReasons(d));
  return { name, ready: reasons.length === 0, summary, reasons };
}

function conditionReasons(d: V1Deployment): string[] {
  return (d.status?.conditions ?? [])
    .filter((c) => (c.type === 'Available' && c.status !== 'True') || (c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') || c.type === 'ReplicaFailure')
    .map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
}

/** Native sidecars (KEP-753): init containers with restartPolicy Always keep running beside the containers. */
function sidecarNames(pod: V1Pod): Set<string> {
  return new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
}

/**
 * A pod is ready when its Ready condition is True (the kubelet includes native sidecars in it).
 * "n/m ready" counts like kubectl's READY column: the containers plus the native sidecars, ready
 * ones among them (a sidecar only once it has started).
 */
export function podReadiness(pod: V1Pod): Readiness {
  const name = pod.metadata?.name ?? '?';
  const sidecars = sidecarNames(pod);
  const statuses = pod.status?.containerStatuses ?? [];
  const sidecarStatuses = (pod.status?.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name));
  const readyCount = statuses.filter((s) => s.ready).length + sidecarStatuses.filter((s) => s.started && s.ready).length;
  const containerCount = (pod.spec?.containers?.length ?? statuses.length) + sidecars.size;
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return { name, ready, summary: `${readyCount}/${containerCount} ready, ${pod.status?.phase ?? 'Unknown'}`, reasons: ready ? [] : podProblems(pod) };
}

/** Pods that count for "are the pods ready": not finished (Succeeded jobs) and not being deleted. */
export function podCounts(pod: V1Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && !pod.metadata?.deletionTimestamp;
}

/** What is wrong with a pod: failing conditions and container states (waiting reasons, crashes). */
export function podProblems(pod: V1Pod): string[] {
  const out: string[] = [];
  for (const c of pod.status?.conditions ?? []) {
    if (c.status !== 'True' && c.type !== 'ContainersReady') out.push(`${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
  }
  const sidecars = sidecarNames(pod);
  const all = [...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })), ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, init: false }))];
  for (const { s, init } of all) {
    const sidecar = sidecars.has(s.name);
    const state = init && !sidecar && s.state?.running ? 'running (the pod starts its containers once it has finished)' : containerState(s);
    if (state) out.push(`${sidecar ? 'sidecar' : init ? 'init container' : 'container'} ${s.name}: ${state}`);
  }
  if (!out.length && pod.status?.phase && pod.status.phase !== 'Running') out.push(`phase ${pod.status.phase}${pod.status.reason ? ` (${pod.status.reason})` : ''}`);
  return out;
}

/** A container's trouble in one phrase, or undefined when it runs and is ready. */
export function containerState(s: V1ContainerStatus): string | undefined {
  const restarts = s.restartCount ? `, ${s.restartCount} restart${s.restartCount === 1 ? '' : 's'}` : '';
  const last = s.lastState?.terminated;
  const lastRun = last ? `; last run ended ${last.reason ?? 'with'} exit code ${last.exitCode}` : '';
  if (s.state?.waiting) {
    const w = s.state.waiting;
    return `waiting: ${w.reason ?? 'unknown reason'}${w.message ? ` (${w.message})` : ''}${restarts}${lastRun}`;
  }
  if (s.state?.terminated) {
    const t = s.state.terminated;
    if (t.exitCode === 0) return undefined; // finished its work (init containers, sidecars that ran)
    return `terminated: ${t.reason ?? ''} exit code ${t.exitCode}${t.message ? ` (${t.message})` : ''}${restarts}`;
  }
  if (!s.ready) return `running, not ready (readiness probe failing or still starting)${restarts}`;
  return undefined;
}
