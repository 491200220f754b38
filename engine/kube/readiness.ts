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
}

/** What `kubectl rollout status` checks: the newest spec observed, every replica updated and available, no old ones left. */
export function deploymentReadiness(d: V1Deployment): Readiness {
  const name = d.metadata?.name ?? '?';
  const wanted = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const summary = `${available}/${wanted} available`;
  const reasons: string[] = [];
  if ((status.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
    reasons.push('the controller has not seen the newest spec yet');
  } else {
    if (updated < wanted) reasons.push(`${updated} of ${wanted} replicas updated`);
    if (total > updated) reasons.push(`${total - updated} old replica(s) pending termination`);
    if (available < wanted) reasons.push(`${available} of ${wanted} available`);
  }
  for (const c of status.conditions ?? []) {
    const bad = (c.type === 'Available' && c.status !== 'True') || (c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') || c.type === 'ReplicaFailure';
    if (bad && reasons.length) reasons.push(`${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
  }
  return { name, ready: reasons.length === 0, summary, reasons };
}

/** A pod is ready when its Ready condition is True. */
export function podReadiness(pod: V1Pod): Readiness {
  const name = pod.metadata?.name ?? '?';
  const statuses = pod.status?.containerStatuses ?? [];
  const readyCount = statuses.filter((s) => s.ready).length;
  const containerCount = pod.spec?.containers?.length ?? statuses.length;
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
  const all = [...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })), ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, init: false }))];
  for (const { s, init } of all) {
    const state = containerState(s);
    if (state) out.push(`${init ? 'init container' : 'container'} ${s.name}: ${state}`);
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
