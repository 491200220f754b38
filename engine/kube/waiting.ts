// Waiting for Deployments to roll out and for Pods to be ready, by following the collection with a
// list + watch (no polling loop): the wait ends on the event that makes the last object ready, or
// at once on one that says it never will (a Deployment past its progress deadline, as
// `kubectl rollout status` fails then). No objects at all is not success: they may be about to be
// created, so it keeps waiting and says so.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { abortable, apiErrorText, deadline, type KubeClients } from './client.ts';
import { watchCollection } from './list-watch.ts';
import { deploymentReadiness, podCounts, podProblems, podReadiness, type Readiness } from './readiness.ts';
import { labelSelectorString } from './selectors.ts';

export interface WaitRequest {
  clients: KubeClients;
  namespace: string;
  /** wait rollout: one Deployment by name. */
  name?: string;
  /** wait pods: a label selector. */
  selector?: string;
  signal: AbortSignal;
  progress(status: string): void;
  log(line: string): void;
}

export interface WaitOutcome {
  ok: boolean;
  message?: string;
  /** The last state seen of every object waited for. */
  objects: Readiness[];
}

/** Time the timeout report may take to look up the pods of stuck Deployments. */
const REPORT_BUDGET_MS = 3000;

export async function waitForRollout(request: WaitRequest): Promise<WaitOutcome> {
  const { clients, namespace, name } = request;
  let last: V1Deployment[] = [];
  const what = name ? `deployment ${name}` : 'deployments';
  const outcome = await follow<V1Deployment>(request, {
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    fieldSelector: name ? `metadata.name=${name}` : undefined,
    list: (signal) => clients.apps.listNamespacedDeployment({ namespace, fieldSelector: name ? `metadata.name=${name}` : undefined }, abortable(signal)),
    evaluate: (items) => ((last = items), items.map(deploymentReadiness)),
    noneYet: `no ${what} in namespace ${namespace} yet; waiting for ${name ? 'it' : 'them'} to be created`,
    readyLine: (r) => `deployment "${r.name}" successfully rolled out`,
  });
  if (outcome.ok) return outcome;
  if (!outcome.objects.length) return { ...outcome, message: `no ${what} appeared in namespace ${namespace}` };
  const failed = outcome.objects.filter((r) => r.failed);
  const stuck = last.filter((d) => (failed.length ? deploymentReadiness(d).failed : !deploymentReadiness(d).ready));
  if (failed.length) {
    const lines = failed.map((r) => r.failed!);
    const pods = await podsOf(clients, namespace, stuck);
    for (const d of stuck) for (const line of pods.get(d.metadata?.name ?? '') ?? []) lines.push(`  ${line}`);
    return { ...outcome, message: lines.join('\n') };
  }
  const lines = [`${stuck.length} of ${last.length} deployment(s) in namespace ${namespace} not rolled out:`];
  const pods = await podsOf(clients, namespace, stuck);
  for (const d of stuck) {
    const r = deploymentReadiness(d);
    lines.push(`  ${r.name} (${r.summary}): ${r.reasons.join('; ')}`);
    for (const line of pods.get(d.metadata?.name ?? '') ?? []) lines.push(`    ${line}`);
  }
  return { ...outcome, message: lines.join('\n') };
}

export async function waitForPods(request: WaitRequest): Promise<WaitOutcome> {
  const { clients, namespace, selector } = request;
  const what = selector ? `pods matching ${selector}` : 'pods';
  const outcome = await follow<V1Pod>(request, {
    path: `/api/v1/namespaces/${namespace}/pods`,
    labelSelector: selector,
    list: (signal) => clients.core.listNamespacedPod({ namespace, labelSelector: selector }, abortable(signal)),
    evaluate: (items) => items.filter(podCounts).map(podReadiness),
    noneYet: `no ${what} in namespace ${namespace} yet; waiting for them to be created`,
    readyLine: (r) => `pod/${r.name} condition met`,
  });
  if (outcome.ok) return outcome;
  if (!outcome.objects.length) return { ...outcome, message: `no ${what} appeared in namespace ${namespace}` };
  const stuck = outcome.objects.filter((r) => !r.ready);
  const lines = [`${stuck.length} of ${outcome.objects.length} ${what} in namespace ${namespace} not ready:`];
  for (const r of stuck) lines.push(`  ${r.name} (${r.summary}): ${r.reasons.join('; ') || 'no reason reported'}`);
  return { ...outcome, message: lines.join('\n') };
}

interface Follow<T> {
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  list: (signal: AbortSignal) => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  evaluate: (items: T[]) => Readiness[];
  noneYet: string;
  readyLine: (r: Readiness) => string;
}

async function follow<T extends { metadata?: { name?: string } }>(request: WaitRequest, spec: Follow<T>): Promise<WaitOutcome> {
  let states: Readiness[] = [];
  const done = await watchCollection<T>({
    clients: request.clients,
    path: spec.path,
    labelSelector: spec.labelSelector,
    fieldSelector: spec.fieldSelector,
    list: spec.list,
    signal: request.signal,
    onNotice: (text) => request.log(text),
    onChange: (items) => {
      states = spec.evaluate(items).sort((a, b) => a.name.localeCompare(b.name));
      const waiting = states.filter((s) => !s.ready);
      if (states.length && !waiting.length) return true;
      if (states.some((s) => s.failed)) return true; // it will not get there by waiting: stop now
      request.progress(states.length ? progressLine(states, waiting) : spec.noneYet);
      return false;
    },
  });
  const ok = done && states.every((s) => s.ready);
  if (ok) for (const s of states) request.log(spec.readyLine(s));
  return { ok, objects: states };
}

/** "2/3 ready; waiting for reviews-v2 (0/1 available)" and how many more. */
export function progressLine(states: Readiness[], waiting: Readiness[]): string {
  const more = waiting.length > 1 ? ` and ${waiting.length - 1} more` : '';
  return `${states.length - waiting.length}/${states.length} ready; waiting for ${waiting[0].name} (${waiting[0].summary})${more}`;
}

/** The problems of the pods behind each stuck Deployment, looked up once, within a small budget. */
async function podsOf(clients: KubeClients, namespace: string, deployments: V1Deployment[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const signal = deadline(REPORT_BUDGET_MS);
  await Promise.all(
    deployments.map(async (d) => {
      const name = d.metadata?.name ?? '';
      try {
        const list = await clients.core.listNamespacedPod({ namespace, labelSelector: labelSelectorString(d.spec?.selector) }, abortable(signal));
        const lines = list.items
          .filter((p) => podCounts(p) && !podReadiness(p).ready)
          .slice(0, 5)
          .map((p) => `pod ${p.metadata?.name}: ${podProblems(p).join('; ') || 'not ready'}`);
        out.set(name, lines);
      } catch (e) {
        out.set(name, [`(could not list its pods: ${apiErrorText(e)})`]);
      }
    }),
  );
  return out;
}
