// What a chapter left on the cluster: a snapshot of the objects an author creates (namespaces,
// workloads, services, config, CRDs, webhooks, and every Istio and Gateway API resource), taken
// before the chapter and again after its last step, and the difference between them.
//
// Listed cluster-wide rather than per namespace: a manifest's own metadata.namespace is invisible
// to the steps' text. Objects a controller makes for another (ownerReferences), and the few that
// Kubernetes and istiod put into every namespace (the default ServiceAccount, kube-root-ca.crt and
// istio-ca-root-cert, service-account token Secrets), are not the chapter's doing and are ignored.
import { setMaxListeners } from 'node:events';
import { listAll, getJson } from './api-request.ts';
import type { KubeClients } from './client.ts';
import type { LeftObject } from '../read/chapter-meta.ts';

export interface TrackedType {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
}

export interface TrackedObject {
  type: TrackedType;
  namespace?: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  terminating: boolean;
}

export interface ChapterSnapshot {
  takenAt: number;
  objects: Map<string, TrackedObject>;
}

export interface LabelChange {
  object: TrackedObject;
  key: string;
  before?: string;
  after?: string;
}

export interface Leftovers {
  objects: TrackedObject[];
  labels: LabelChange[];
  /** How many (new) objects each leftover namespace holds: they go with it. */
  contents: Map<string, number>;
}

/** The built-in kinds an author creates, by group: resource names. */
const BUILT_IN: Record<string, string[]> = {
  '': ['namespaces', 'pods', 'services', 'serviceaccounts', 'configmaps', 'secrets', 'persistentvolumeclaims'],
  apps: ['deployments', 'statefulsets', 'daemonsets'],
  batch: ['jobs', 'cronjobs'],
  'networking.k8s.io': ['ingresses', 'networkpolicies'],
  'apiextensions.k8s.io': ['customresourcedefinitions'],
  'admissionregistration.k8s.io': ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
};
const ALL_OF_GROUP = /(^|\.)istio\.io$|^gateway\.networking\.(x-)?k8s\.io$/;
const MADE_BY_CLUSTER: Record<string, string[]> = { serviceaccounts: ['default'], configmaps: ['kube-root-ca.crt', 'istio-ca-root-cert'] };

interface ApiResource { name: string; singularName?: string; kind: string; namespaced: boolean; shortNames?: string[]; verbs?: string[] }
interface Raw { metadata?: { name?: string; namespace?: string; uid?: string; labels?: Record<string, string>; ownerReferences?: unknown[]; deletionTimestamp?: string }; type?: string }

const keyOf = (o: Pick<TrackedObject, 'type' | 'namespace' | 'name'>) => `${o.type.group}/${o.type.resource}/${o.namespace ?? ''}/${o.name}`;

/** The kinds of BUILT_IN and of the Istio and Gateway API groups that this cluster serves now. */
async function trackedTypes(clients: KubeClients, signal: AbortSignal): Promise<TrackedType[]> {
  const groups = await getJson<{ groups: Array<{ name: string; preferredVersion?: { version: string }; versions: Array<{ version: string }> }> }>(clients, '/apis', signal);
  const wanted = [{ group: '', version: 'v1', path: '/api/v1' }];
  for (const g of groups.groups) {
    if (!(g.name in BUILT_IN) && !ALL_OF_GROUP.test(g.name)) continue;
    const version = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (version) wanted.push({ group: g.name, version, path: `/apis/${g.name}/${version}` });
  }
  const lists = await Promise.all(wanted.map(async (w) => ({ ...w, resources: (await getJson<{ resources: ApiResource[] }>(clients, w.path, signal)).resources })));
  return lists.flatMap(({ group, version, resources }) =>
    resources
      .filter((r) => !r.name.includes('/') && (r.verbs ?? ['list']).includes('list') && (ALL_OF_GROUP.test(group) || BUILT_IN[group]?.includes(r.name)))
      .map((r) => ({ group, version, resource: r.name, kind: r.kind, singular: r.singularName || r.kind.toLowerCase(), shortNames: r.shortNames ?? [], namespaced: r.namespaced })));
}

function authored(type: TrackedType, object: Raw): boolean {
  const meta = object.metadata ?? {};
  if (meta.ownerReferences?.length) return false;
  if (type.group === '' && MADE_BY_CLUSTER[type.resource]?.includes(meta.name ?? '')) return false;
  if (type.group === '' && type.resource === 'secrets' && object.type === 'kubernetes.io/service-account-token') return false;
  return true;
}

export async function takeSnapshot(clients: KubeClients, signal: AbortSignal): Promise<ChapterSnapshot> {
  setMaxListeners(200, signal); // its lists run side by side, each listening to the one deadline
  const types = await trackedTypes(clients, signal);
  const objects = new Map<string, TrackedObject>();
  await Promise.all(
    types.map(async (type) => {
      const path = `${type.group ? `/apis/${type.group}` : '/api'}/${type.version}/${type.resource}`;
      const list = await listAll<Raw>(clients, path, signal);
      for (const item of list.items) {
        if (!authored(type, item)) continue;
        const meta = item.metadata ?? {};
        const object: TrackedObject = { type, namespace: meta.namespace, name: meta.name ?? '', uid: meta.uid ?? '', labels: meta.labels ?? {}, terminating: Boolean(meta.deletionTimestamp) };
        objects.set(keyOf(object), object);
      }
    }),
  );
  return { takenAt: Date.now(), objects };
}

/** Does a `leaves:` entry cover this object (kind by any of kubectl's names, * for any name)? */
export function covers(entry: LeftObject, object: TrackedObject, label?: string): boolean {
  const kind = entry.kind.toLowerCase();
  const { type } = object;
  const names = [type.kind, type.singular, type.resource, ...type.shortNames].map((n) => n.toLowerCase());
  const qualified = type.group ? [type.resource, type.kind.toLowerCase(), type.singular].map((n) => `${n}.${type.group}`) : [];
  if (!names.includes(kind) && !qualified.includes(kind)) return false;
  if (entry.name !== '*' && entry.name !== object.name) return false;
  if (type.namespaced && entry.namespace !== '*' && entry.namespace !== object.namespace) return false;
  if (!type.namespaced && entry.namespace !== undefined) return false;
  return label === undefined ? entry.label === undefined : entry.label === label;
}

/** What exists after that did not before (and label changes on namespaces), less what the chapter declared it leaves. */
export function diffSnapshots(before: ChapterSnapshot, after: ChapterSnapshot, declared: LeftObject[]): Leftovers {
  const added = [...after.objects.entries()].filter(([key]) => !before.objects.has(key)).map(([, o]) => o);
  const isDeclared = (o: TrackedObject, label?: string) => declared.some((entry) => covers(entry, o, label));
  const leftNamespaces = new Set(added.filter((o) => o.type.group === '' && o.type.resource === 'namespaces').map((o) => o.name));
  const keptNamespaces = new Set(added.filter((o) => o.type.group === '' && o.type.resource === 'namespaces' && isDeclared(o)).map((o) => o.name));
  const contents = new Map<string, number>();
  const objects: TrackedObject[] = [];
  for (const o of added) {
    if (o.namespace && leftNamespaces.has(o.namespace)) {
      // It goes when its namespace goes; a namespace left on purpose may keep anything.
      if (!keptNamespaces.has(o.namespace)) contents.set(o.namespace, (contents.get(o.namespace) ?? 0) + 1);
      continue;
    }
    if (!isDeclared(o)) objects.push(o);
  }
  const labels: LabelChange[] = [];
  for (const o of after.objects.values()) {
    if (o.type.group !== '' || o.type.resource !== 'namespaces') continue;
    const was = before.objects.get(keyOf(o));
    if (!was) continue;
    for (const key of new Set([...Object.keys(was.labels), ...Object.keys(o.labels)])) {
      if (was.labels[key] === o.labels[key] || isDeclared(o, key)) continue;
      labels.push({ object: o, key, before: was.labels[key], after: o.labels[key] });
    }
  }
  objects.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  return { objects, labels, contents };
}

export function leftoverCount(leftovers: Leftovers): number {
  return leftovers.objects.length + leftovers.labels.length;
}

const typeName = (type: TrackedType) => (type.group ? `${type.kind.toLowerCase()}.${type.group}` : type.kind.toLowerCase());

/** A `kubectl get -A -o name`-style list, and what to write in `leaves:` to keep them on purpose. */
export function describeLeftovers(chapter: string, leftovers: Leftovers, mode: 'fail' | 'warn'): string {
  const count = leftoverCount(leftovers);
  const rows: [string, string][] = [];
  for (const o of leftovers.objects) {
    const inside = leftovers.contents.get(o.name);
    const note = o.type.resource === 'namespaces' && inside ? ` (and the ${inside} object${inside === 1 ? '' : 's'} in it)` : o.terminating ? ' (still terminating)' : '';
    rows.push([o.namespace ?? '', `${typeName(o.type)}/${o.name}${note}`]);
  }
  for (const l of leftovers.labels) {
    const change = l.after === undefined ? `label ${l.key} removed (was ${l.before})` : l.before === undefined ? `label ${l.key}=${l.after} added` : `label ${l.key} changed from ${l.before} to ${l.after}`;
    rows.push(['', `namespace/${l.object.name}: ${change}`]);
  }
  const width = Math.max('NAMESPACE'.length, ...rows.map(([ns]) => ns.length)) + 3;
  const table = [`NAMESPACE`.padEnd(width) + 'NAME', ...rows.map(([ns, name]) => (ns || '-').padEnd(width) + name)];
  const entries = [
    ...leftovers.objects.map((o) => `"${o.type.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}"`),
    ...leftovers.labels.map((l) => `"Namespace ${l.object.name} label ${l.key}"`),
  ];
  return [
    `${chapter} left ${count} thing${count === 1 ? '' : 's'} behind on the cluster (leftovers: ${mode}):`,
    ...table.map((line) => `  ${line}`),
    `Delete ${count === 1 ? 'it' : 'them'} in the chapter's clean-up, or, if a later chapter needs ${count === 1 ? 'it' : 'them'}, declare ${count === 1 ? 'it' : 'them'} in the chapter's front matter: leaves: [${entries.join(', ')}]`,
  ].join('\n');
}
