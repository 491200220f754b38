// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Server-side printing: kubectl get asks for `application/json;as=Table;v=v1;g=meta.k8s.io` and prints
// the columns the server sends. These follow the real server's printers for the resources we serve
// (pkg/printers/internalversion), so `kubectl get pods` shows NAME READY STATUS RESTARTS AGE.

import { printerColumnCell } from './printer-columns.ts';
import type { KubeObject, ResourceType } from './resources.ts';

interface Column {
  name: string;
  type: 'string' | 'integer';
  format?: 'name';
  priority?: number;
  description: string;
  cell: (object: KubeObject) => string | number;
}

/** Printers read deep optional fields of wire objects; typing each path would add nothing here. */
type Any = Record<string, any>;

/** apimachinery's duration.HumanDuration, which kubectl's AGE columns use. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

function since(timestamp: unknown): string {
  if (typeof timestamp !== 'string' || !timestamp) return '<unknown>';
  return humanDuration(Date.now() - Date.parse(timestamp));
}

const orNone = (value: unknown) => (value === undefined || value === null || value === '' ? '<none>' : String(value));
const name: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', cell: (o) => o.metadata.name ?? '' };
const age: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp of the object.', cell: (o) => since(o.metadata.creationTimestamp) };
const column = (columnName: string, cell: Column['cell'], priority = 0, type: Column['type'] = 'string'): Column =>
  ({ name: columnName, type, priority, description: columnName, cell });

/**
 * printPod: READY counts the containers and the native sidecars (restartable init containers that
 * have started); the STATUS column is the phase unless a container waits or terminated for a
 * reason, or an ordinary init container has not finished (Init:N/M).
 */
function podSummary(pod: KubeObject) {
  const status = (pod.status ?? {}) as Any;
  const spec = (pod.spec ?? {}) as Any;
  const statuses: Any[] = status.containerStatuses ?? [];
  const initSpecs: Any[] = spec.initContainers ?? [];
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let reason: string = status.reason || status.phase || '';
  let ready = 0;
  let restarts = 0;
  let running = false;
  let initializing = false;
  (status.initContainerStatuses ?? []).forEach((container: Any, index: number) => {
    restarts += container.restartCount ?? 0;
    if (sidecars.has(container.name) && container.started) {
      if (container.ready) ready += 1;
      return;
    }
    if (container.state?.terminated?.exitCode === 0 || initializing) return;
    initializing = true;
    reason = container.state?.terminated?.reason ? `Init:${container.state.terminated.reason}`
      : container.state?.waiting?.reason && container.state.waiting.reason !== 'PodInitializing' ? `Init:${container.state.waiting.reason}`
        : `Init:${index}/${initSpecs.length}`;
  });
  if (!initializing) {
    for (const container of [...statuses].reverse()) {
      restarts += container.restartCount ?? 0;
      if (container.state?.waiting?.reason) reason = container.state.waiting.reason;
      else if (container.state?.terminated?.reason) reason = container.state.terminated.reason;
      else if (container.state?.terminated) reason = `ExitCode:${container.state.terminated.exitCode}`;
      else if (container.ready && container.state?.running) {
        running = true;
        ready += 1;
      }
    }
  }
  if (reason === 'Completed' && running) {
    const podReady = (status.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
    reason = podReady ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  const total = (spec.containers ?? []).length + sidecars.size;
  return { ready: `${ready}/${total}`, reason, restarts: String(restarts) };
}

function serviceExternalIP(service: KubeObject): string {
  const spec = (service.spec ?? {}) as Any;
  const external: string[] = spec.externalIPs ?? [];
  if (spec.type === 'LoadBalancer') {
    const ingress: Any[] = (service.status as Any)?.loadBalancer?.ingress ?? [];
    const addresses = [...ingress.map((i) => i.ip || i.hostname).filter(Boolean), ...external];
    return addresses.length ? addresses.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function servicePorts(service: KubeObject): string {
  const ports: Any[] = (service.spec as Any)?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

function nodeStatus(node: KubeObject): string {
  const ready = ((node.status as Any)?.conditions ?? []).find((c: Any) => c.type === 'Ready');
  const state = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  return (node.spec as Any)?.unschedulable ? `${state},SchedulingDisabled` : state;
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.entries(node.metadata.labels ?? {}).flatMap(([key, value]) =>
    key.startsWith('node-role.kubernetes.io/') ? [key.slice('node-role.kubernetes.io/'.length)]
      : key === 'kubernetes.io/role' && value ? [value] : []);
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeAddress(node: KubeObject, type: string): string {
  return orNone(((node.status as Any)?.addresses ?? []).find((a: Any) => a.type === type)?.address);
}

function eventLastSeen(event: KubeObject): string {
  const e = event as Any;
  const first = since(e.firstTimestamp || e.eventTime);
  const last = e.lastTimestamp ? since(e.lastTimestamp) : first;
  return (e.count ?? 0) > 1 ? `${last} (x${e.count} over ${first})` : last;
}

const selectorText = (labels: Record<string, string> | undefined) =>
  labels && Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : '<none>';

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    column('Ready', (o) => podSummary(o).ready),
    column('Status', (o) => podSummary(o).reason),
    column('Restarts', (o) => podSummary(o).restarts),
    age,
    column('IP', (o) => orNone((o.status as Any)?.podIP), 1),
    column('Node', (o) => orNone((o.spec as Any)?.nodeName), 1),
    column('Nominated Node', (o) => orNone((o.status as Any)?.nominatedNodeName), 1),
    column('Readiness Gates', () => '<none>', 1),
  ],
  Deployment: [
    name,
    column('Ready', (o) => `${(o.status as Any)?.readyReplicas ?? 0}/${(o.spec as Any)?.replicas ?? 0}`),
    column('Up-to-date', (o) => (o.status as Any)?.updatedReplicas ?? 0, 0, 'integer'),
    column('Available', (o) => (o.status as Any)?.availableReplicas ?? 0, 0, 'integer'),
    age,
    column('Containers', (o) => ((o.spec as Any)?.template?.spec?.containers ?? []).map((c: Any) => c.name).join(','), 1),
    column('Images', (o) => ((o.spec as Any)?.template?.spec?.containers ?? []).map((c: Any) => c.image).join(','), 1),
    column('Selector', (o) => selectorText((o.spec as Any)?.selector?.matchLabels), 1),
  ],
  Service: [
    name,
    column('Type', (o) => (o.spec as Any)?.type ?? 'ClusterIP'),
    column('Cluster-IP', (o) => orNone((o.spec as Any)?.clusterIP)),
    column('External-IP', serviceExternalIP),
    column('Port(s)', servicePorts),
    age,
    column('Selector', (o) => selectorText((o.spec as Any)?.selector), 1),
  ],
  Namespace: [name, column('Status', (o) => (o.status as Any)?.phase ?? ''), age],
  ReplicaSet: [
    name,
    column('Desired', (o) => (o.spec as Any)?.replicas ?? 0, 0, 'integer'),
    column('Current', (o) => (o.status as Any)?.replicas ?? 0, 0, 'integer'),
    column('Ready', (o) => (o.status as Any)?.readyReplicas ?? 0, 0, 'integer'),
    age,
  ],
  ServiceAccount: [name, column('Secrets', (o) => ((o as Any).secrets ?? []).length, 0, 'integer'), age],
  ConfigMap: [name, column('Data', (o) => Object.keys((o as Any).data ?? {}).length + Object.keys((o as Any).binaryData ?? {}).length, 0, 'integer'), age],
  Secret: [name, column('Type', (o) => String((o as Any).type ?? '')), column('Data', (o) => Object.keys((o as Any).data ?? {}).length, 0, 'integer'), age],
  CustomResourceDefinition: [name, column('Created At', (o) => o.metadata.creationTimestamp ?? '')],
  MutatingWebhookConfiguration: [name, column('Webhooks', (o) => ((o as Any).webhooks ?? []).length, 0, 'integer'), age],
  ValidatingWebhookConfiguration: [name, column('Webhooks', (o) => ((o as Any).webhooks ?? []).length, 0, 'integer'), age],
  Node: [
    name,
    column('Status', nodeStatus),
    column('Roles', nodeRoles),
    age,
    column('Version', (o) => (o.status as Any)?.nodeInfo?.kubeletVersion ?? ''),
    column('Internal-IP', (o) => nodeAddress(o, 'InternalIP'), 1),
    column('External-IP', (o) => nodeAddress(o, 'ExternalIP'), 1),
    column('OS-Image', (o) => (o.status as Any)?.nodeInfo?.osImage ?? '', 1),
    column('Kernel-Version', (o) => (o.status as Any)?.nodeInfo?.kernelVersion ?? '', 1),
    column('Container-Runtime', (o) => (o.status as Any)?.nodeInfo?.containerRuntimeVersion ?? '', 1),
  ],
  Event: [
    column('Last Seen', eventLastSeen),
    column('Type', (o) => String((o as Any).type ?? '')),
    column('Reason', (o) => String((o as Any).reason ?? '')),
    column('Object', (o) => `${String((o as Any).involvedObject?.kind ?? '').toLowerCase()}/${(o as Any).involvedObject?.name ?? ''}`),
    column('Subobject', (o) => String((o as Any).involvedObject?.fieldPath ?? ''), 1),
    column('Source', (o) => [(o as Any).source?.component, (o as Any).source?.host].filter(Boolean).join(', '), 1),
    column('Message', (o) => String((o as Any).message ?? '').trim()),
    column('First Seen', (o) => since((o as Any).firstTimestamp), 1),
    column('Count', (o) => (o as Any).count ?? 0, 1, 'integer'),
    column('Name', (o) => o.metadata.name ?? '', 1),
  ],
};

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

/** Custom resources: NAME and the CRD's additionalPrinterColumns, as the apiextensions server prints them. */
function customColumns(type: ResourceType): Column[] {
  return [name, ...(type.printerColumns ?? []).map((c) => ({
    name: c.name, type: c.type === 'integer' ? 'integer' as const : 'string' as const, priority: c.priority ?? 0, description: c.description ?? c.name,
    cell: (o: KubeObject) => (c.type === 'date' ? since(printerColumnCell(o, c.jsonPath)) : printerColumnCell(o, c.jsonPath)),
  }))];
}

/** A meta.k8s.io/v1 Table for a list or a single object; kinds without a printer get NAME and AGE, as on a real server. */
export function tableFor(body: unknown, type: ResourceType): unknown {
  const document = body as Any;
  const isList = typeof document?.kind === 'string' && document.kind.endsWith('List') && Array.isArray(document.items);
  const columns = type.crd ? customColumns(type) : COLUMNS[type.kind] ?? [name, age];
  const objects: KubeObject[] = isList ? document.items : [document];
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1',
    metadata: isList ? document.metadata : { resourceVersion: document.metadata?.resourceVersion },
    columnDefinitions: columns.map(({ cell: _, priority = 0, ...definition }) => ({ format: '', ...definition, priority })),
    rows: objects.map((object) => ({
      cells: columns.map((c) => c.cell(object)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
    })),
  };
}
