// What an SRE looks at first when a step fails on a cluster: the pods that are not ready in the
// namespaces the run touched (conditions, container states), recent Warning events, and the last
// lines of the logs of failing containers. Bounded in time; never throws.
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { abortable, apiErrorText, deadline, type KubeClients } from './client.ts';
import { containerState, podCounts, podProblems, podReadiness } from './readiness.ts';
import { pullLimitHint } from './pull-limits.ts';

export interface PodDiagnosis {
  namespace: string;
  name: string;
  phase: string;
  ready: string;
  problems: string[];
}

export interface EventDiagnosis {
  namespace: string;
  object: string;
  reason: string;
  message: string;
  count: number;
  lastSeen?: string;
}

export interface LogTail {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  lines: string[];
}

export interface Diagnostics {
  context: string;
  namespaces: string[];
  pods: PodDiagnosis[];
  events: EventDiagnosis[];
  logs: LogTail[];
  /** Lookups that failed or ran out of time. */
  errors: string[];
  /** The same, as text a person reads in a report. */
  summary: string;
}

export interface DiagnosticsLimits {
  budgetMs: number;
  logLines: number;
  maxLogs: number;
  maxEvents: number;
}

export const DEFAULT_LIMITS: DiagnosticsLimits = { budgetMs: 4000, logLines: 20, maxLogs: 5, maxEvents: 15 };

export async function collectDiagnostics(clients: KubeClients, namespaces: string[], limits: DiagnosticsLimits = DEFAULT_LIMITS): Promise<Diagnostics> {
  const signal = deadline(limits.budgetMs);
  const errors: string[] = [];
  const pods: V1Pod[] = [];
  const events: CoreV1Event[] = [];
  await Promise.all(
    namespaces.map(async (namespace) => {
      const [podList, eventList] = await Promise.allSettled([
        clients.core.listNamespacedPod({ namespace }, abortable(signal)),
        clients.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }, abortable(signal)),
      ]);
      if (podList.status === 'fulfilled') pods.push(...podList.value.items.filter((p) => podCounts(p) && !podReadiness(p).ready));
      else errors.push(`pods in ${namespace}: ${apiErrorText(podList.reason)}`);
      if (eventList.status === 'fulfilled') events.push(...eventList.value.items);
      else errors.push(`events in ${namespace}: ${apiErrorText(eventList.reason)}`);
    }),
  );
  const podDiagnoses = pods.map((p) => ({
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: podReadiness(p).summary.split(',')[0],
    problems: podProblems(p),
  }));
  const eventDiagnoses = events
    .map((e) => ({ e, at: eventTime(e) }))
    .sort((a, b) => b.at - a.at)
    .slice(0, limits.maxEvents)
    .map(({ e, at }) => ({
      namespace: e.metadata?.namespace ?? '',
      object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.count ?? 1,
      lastSeen: at ? new Date(at).toISOString() : undefined,
    }));
  const logs = await logTails(clients, pods, limits, signal, errors);
  const diagnostics = { context: clients.context, namespaces, pods: podDiagnoses, events: eventDiagnoses, logs, errors };
  return { ...diagnostics, summary: summarize(diagnostics) };
}

function eventTime(e: CoreV1Event): number {
  const value = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return value ? new Date(value as unknown as string).getTime() || 0 : 0;
}

/** Logs of containers that crash, ended with an error, or run without being ready. */
async function logTails(clients: KubeClients, pods: V1Pod[], limits: DiagnosticsLimits, signal: AbortSignal, errors: string[]): Promise<LogTail[]> {
  const wanted: { pod: V1Pod; container: string; previous: boolean }[] = [];
  for (const pod of pods) {
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      if (!containerState(s)) continue;
      const waitingToPull = /ImagePull|ErrImage|ContainerCreating|PodInitializing/.test(s.state?.waiting?.reason ?? '');
      if (waitingToPull) continue; // never ran: no logs to show
      wanted.push({ pod, container: s.name, previous: Boolean(s.state?.waiting && s.lastState?.terminated) });
    }
  }
  const tails = await Promise.all(
    wanted.slice(0, limits.maxLogs).map(async ({ pod, container, previous }) => {
      const namespace = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      try {
        const text = await clients.core.readNamespacedPodLog({ namespace, name, container, previous, tailLines: limits.logLines }, abortable(signal));
        return { namespace, pod: name, container, previous, lines: String(text).replace(/\n$/, '').split('\n').slice(-limits.logLines) };
      } catch (e) {
        errors.push(`logs of ${namespace}/${name} ${container}: ${apiErrorText(e)}`);
        return undefined;
      }
    }),
  );
  return tails.filter((t): t is LogTail => Boolean(t));
}

function summarize(d: Omit<Diagnostics, 'summary'>): string {
  const out = [`cluster state (context ${d.context}; namespaces ${d.namespaces.join(', ')}):`];
  if (!d.pods.length) out.push('  all pods ready');
  for (const p of d.pods) out.push(`  pod ${p.namespace}/${p.name} ${p.phase} ${p.ready}: ${p.problems.join('; ') || 'not ready'}`);
  if (d.events.length) out.push('warning events (newest first):');
  for (const e of d.events) out.push(`  ${e.namespace} ${e.object} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`);
  for (const l of d.logs) {
    out.push(`logs of ${l.namespace}/${l.pod} ${l.container}${l.previous ? ' (previous run)' : ''}, last ${l.lines.length} lines:`);
    for (const line of l.lines) out.push(`  | ${line}`);
  }
  for (const e of d.errors) out.push(`(not collected: ${e})`);
  // Read from the pods' states and the events only: a log line is the application's own text.
  const hint = pullLimitHint([...d.pods.flatMap((p) => p.problems), ...d.events.map((e) => e.message)].join('\n'));
  if (hint) out.push(hint);
  return out.join('\n');
}
