// Has the mesh taken its configuration? Read where `istioctl proxy-status` reads it (istioctl's
// AllDiscoveryDo): every Running istiod pod (app=istiod) of the Istio namespace, reached through a
// port-forward to its monitoring port (the container port named http-monitoring, else 15014), so
// istiod sees a local request and needs no token; its /debug/syncz lists the proxies connected to
// it with the last xDS nonce sent and acknowledged per type (pilot/pkg/xds/debug.go), and
// /debug/configz the configuration it has loaded.
//
// In sync means, for every pod of the namespaces that runs an istio-proxy (container or native
// sidecar): connected to an istiod, and for CDS, LDS, EDS and RDS everything sent acknowledged and
// nothing rejected (istioctl shows SYNCED; STALE or a NACK is not) — and the Istio resources named
// have their current resourceVersion loaded in istiod, with no error in their status
// (validationMessages, a Reconciled=False condition). istiod debounces pushes (100 ms by default),
// so the state must hold still for a moment (`settle`) after the resources were loaded.
import http from 'node:http';
import type { V1Pod } from '@kubernetes/client-node';
import { abortable, apiErrorText, type KubeClients } from './client.ts';
import { getJson } from './api-request.ts';
import { PodForwarder } from './forwarder.ts';
import type { IstioKind } from './istio-kinds.ts';
import { podCounts } from './readiness.ts';
import { sleepUnlessAborted } from '../execute/abortable-sleep.ts';

const TYPES = { cluster: 'CDS', listener: 'LDS', endpoint: 'EDS', route: 'RDS' } as const;
const TYPE_URLS: Record<keyof typeof TYPES, string> = {
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
};

interface SyncStatus {
  proxy?: string;
  proxy_type?: string;
  istio_version?: string;
  resources?: Record<string, { sent?: string; acked?: string; lastError?: string }>;
  [field: string]: unknown;
}

interface ConfigEntry {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface IstioResource {
  kind: IstioKind;
  namespace: string;
  name: string;
}

export interface IstioWaitRequest {
  clients: KubeClients;
  namespaces: string[];
  resources: IstioResource[];
  istioNamespace: string;
  signal: AbortSignal;
  /** How long the state must hold still once everything looks done (istiod's push debounce). */
  settleMs: number;
  pollMs: number;
  progress(status: string): void;
  log(line: string): void;
}

export interface ProxyState {
  id: string;
  inSync: boolean;
  why?: string;
}

export interface IstioWaitOutcome {
  ok: boolean;
  message?: string;
  proxies: ProxyState[];
  resources: { name: string; accepted: boolean; why?: string }[];
  istiod: string[];
}

const hasProxy = (pod: V1Pod) =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')].some((c) => c.name === 'istio-proxy');

function monitoringPort(pod: V1Pod): number {
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === 'http-monitoring') return p.containerPort;
  return 15014;
}

function getLocal<T>(port: number, path: string, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, signal, headers: { Accept: 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (d) => (text += d));
      response.on('end', () => {
        if ((response.statusCode ?? 500) >= 400) return reject(new Error(`istiod answered ${path} with HTTP ${response.statusCode}: ${text.trim().slice(0, 200)}`));
        try {
          resolve(JSON.parse(text) as T);
        } catch {
          reject(new Error(`istiod answered ${path} with something that is not JSON`));
        }
      });
    });
    request.on('error', reject);
  });
}

/** One port-forward per istiod pod for the whole wait. */
class Istiods {
  private forwarders = new Map<string, PodForwarder>();
  constructor(private readonly request: IstioWaitRequest) {}

  async pods(): Promise<V1Pod[]> {
    const { clients, istioNamespace, signal } = this.request;
    const list = await clients.core.listNamespacedPod({ namespace: istioNamespace, labelSelector: 'app=istiod', fieldSelector: 'status.phase=Running' }, abortable(signal));
    return list.items.filter((p) => !p.metadata?.deletionTimestamp);
  }

  async get<T>(pod: V1Pod, path: string): Promise<T> {
    const name = pod.metadata?.name ?? '';
    let forwarder = this.forwarders.get(name);
    if (!forwarder) {
      const port = monitoringPort(pod);
      forwarder = await PodForwarder.start(
        { clients: this.request.clients, namespace: this.request.istioNamespace, podName: name, mappings: [{ localPort: 0, containerPort: () => port, label: `istiod port ${port}` }], onNotice: () => {} },
        this.request.signal,
      );
      this.forwarders.set(name, forwarder);
    }
    return getLocal<T>(forwarder.ports[0], path, this.request.signal);
  }

  async close(): Promise<void> {
    await Promise.all([...this.forwarders.values()].map((f) => f.close()));
  }
}

/** Why one proxy is not in sync, as istioctl would show it, or undefined. */
function proxyProblem(status: SyncStatus): string | undefined {
  const problems: string[] = [];
  for (const [field, short] of Object.entries(TYPES) as [keyof typeof TYPES, string][]) {
    const sent = status[`${field}_sent`] as string | undefined;
    const acked = status[`${field}_acked`] as string | undefined;
    const lastError = status.resources?.[TYPE_URLS[field]]?.lastError;
    if (lastError) problems.push(`${short} rejected by the proxy (NACK): ${lastError}`);
    else if (sent && sent !== acked) problems.push(`${short} ${acked ? 'STALE (the last push is not acknowledged yet)' : 'STALE (Never Acknowledged)'}`);
  }
  return problems.length ? problems.join('; ') : undefined;
}

interface Observation {
  outcome: IstioWaitOutcome;
  done: boolean;
  /** The nonces seen, to tell whether the state held still between two reads. */
  fingerprint: string;
}

async function observe(request: IstioWaitRequest, istiods: Istiods): Promise<Observation> {
  const { clients, namespaces, resources, signal } = request;
  const pods = await istiods.pods();
  const outcome: IstioWaitOutcome = { ok: false, proxies: [], resources: [], istiod: pods.map((p) => p.metadata?.name ?? '') };
  if (!pods.length) return { outcome: { ...outcome, message: `no Running istiod pod (app=istiod) in namespace ${request.istioNamespace}: is Istio installed?` }, done: false, fingerprint: '' };
  // configz before syncz: a sync state read after istiod had the configuration is about that configuration.
  const configs: ConfigEntry[] = resources.length ? (await Promise.all(pods.map((p) => istiods.get<ConfigEntry[]>(p, '/debug/configz')))).flat() : [];
  for (const r of resources) {
    const label = `${r.kind.singular}/${r.name} in ${r.namespace}`;
    let live: { metadata?: { resourceVersion?: string }; status?: { validationMessages?: Array<{ level?: string; type?: { code?: string; name?: string }; description?: string }>; conditions?: Array<{ type?: string; status?: string; message?: string }> } };
    try {
      live = await getJson(clients, `/apis/${r.kind.group}/${r.kind.version}/namespaces/${r.namespace}/${r.kind.plural}/${r.name}`, signal);
    } catch (e) {
      outcome.resources.push({ name: label, accepted: false, why: (e as { code?: number }).code === 404 ? 'does not exist' : apiErrorText(e) });
      continue;
    }
    const errors = (live.status?.validationMessages ?? []).filter((m) => /error/i.test(m.level ?? '')).map((m) => `${m.type?.code ?? ''} ${m.description ?? m.type?.name ?? ''}`.trim());
    const unreconciled = (live.status?.conditions ?? []).find((c) => c.type === 'Reconciled' && c.status === 'False');
    const loaded = configs.find((c) => c.kind === r.kind.kind && c.metadata?.namespace === r.namespace && c.metadata?.name === r.name);
    const version = live.metadata?.resourceVersion;
    const why = errors.length ? `istio reports ${errors.join('; ')}`
      : unreconciled ? `not reconciled yet${unreconciled.message ? `: ${unreconciled.message}` : ''}`
        : !loaded ? 'istiod has not loaded it yet'
          : loaded.metadata?.resourceVersion !== version ? `istiod has resourceVersion ${loaded.metadata?.resourceVersion} loaded, not the current ${version}` : undefined;
    outcome.resources.push({ name: label, accepted: !why, ...(why ? { why } : {}) });
  }
  const statuses = new Map<string, SyncStatus>();
  for (const pod of pods) for (const s of await istiods.get<SyncStatus[]>(pod, '/debug/syncz')) if (s.proxy) statuses.set(s.proxy, s);
  for (const namespace of namespaces) {
    const list = await clients.core.listNamespacedPod({ namespace }, abortable(signal));
    for (const pod of list.items.filter((p) => podCounts(p) && hasProxy(p) && p.status?.phase === 'Running')) {
      const id = `${pod.metadata?.name}.${namespace}`;
      const status = statuses.get(id);
      const why = status ? proxyProblem(status) : `not connected to istiod (${pods.map((p) => p.metadata?.name).join(', ')})`;
      outcome.proxies.push({ id, inSync: !why, ...(why ? { why } : {}) });
    }
  }
  outcome.proxies.sort((a, b) => a.id.localeCompare(b.id));
  const done = outcome.resources.every((r) => r.accepted) && outcome.proxies.every((p) => p.inSync);
  const fingerprint = JSON.stringify([...statuses.entries()].filter(([id]) => outcome.proxies.some((p) => p.id === id)).map(([id, s]) => [id, ...Object.keys(TYPES).map((t) => s[`${t}_sent`])]));
  return { outcome, done, fingerprint };
}

function progressText(outcome: IstioWaitOutcome): string {
  const synced = outcome.proxies.filter((p) => p.inSync).length;
  const waiting = outcome.proxies.find((p) => !p.inSync);
  const resource = outcome.resources.find((r) => !r.accepted);
  const parts = [`${synced}/${outcome.proxies.length} proxies in sync`];
  if (outcome.resources.length) parts.push(`${outcome.resources.filter((r) => r.accepted).length}/${outcome.resources.length} resources accepted`);
  const next = resource ? `${resource.name}: ${resource.why}` : waiting ? `${waiting.id}: ${waiting.why}` : 'holding still';
  return `${parts.join(', ')}; ${next}`;
}

export function describeOutOfSync(request: Pick<IstioWaitRequest, 'namespaces'>, outcome: IstioWaitOutcome): string {
  if (outcome.message) return outcome.message;
  const lines: string[] = [];
  const stuck = outcome.proxies.filter((p) => !p.inSync);
  if (stuck.length) {
    lines.push(`${stuck.length} of ${outcome.proxies.length} proxies in ${request.namespaces.join(', ')} not in sync with istiod:`);
    for (const p of stuck) lines.push(`  ${p.id}: ${p.why}`);
  }
  const rejected = outcome.resources.filter((r) => !r.accepted);
  if (rejected.length) {
    lines.push(`${rejected.length} of ${outcome.resources.length} Istio resources not accepted:`);
    for (const r of rejected) lines.push(`  ${r.name}: ${r.why}`);
  }
  if (!lines.length) lines.push('the mesh did not hold still long enough to be called in sync (istiod kept pushing)');
  lines.push(`see: istioctl proxy-status --namespace ${request.namespaces[0]}`);
  return lines.join('\n');
}

export async function waitForIstio(request: IstioWaitRequest): Promise<IstioWaitOutcome> {
  const istiods = new Istiods(request);
  let last: IstioWaitOutcome = { ok: false, proxies: [], resources: [], istiod: [] };
  let steadySince: { at: number; fingerprint: string } | undefined;
  try {
    while (!request.signal.aborted) {
      try {
        const seen = await observe(request, istiods);
        last = seen.outcome;
        if (seen.done && steadySince?.fingerprint === seen.fingerprint && Date.now() - steadySince.at >= request.settleMs) {
          for (const p of last.proxies) request.log(`${p.id} SYNCED`);
          for (const r of last.resources) request.log(`${r.name} accepted`);
          return { ...last, ok: true };
        }
        steadySince = seen.done ? (steadySince?.fingerprint === seen.fingerprint ? steadySince : { at: Date.now(), fingerprint: seen.fingerprint }) : undefined;
        request.progress(seen.outcome.message ?? progressText(seen.outcome));
      } catch (e) {
        if (request.signal.aborted) break;
        last = { ...last, message: `cannot read istiod's sync state: ${apiErrorText(e)}` };
        request.progress(last.message!);
      }
      await sleepUnlessAborted(steadySince ? Math.min(request.pollMs, request.settleMs) : request.pollMs, request.signal);
    }
    return { ...last, ok: false, message: describeOutOfSync(request, last) };
  } finally {
    await istiods.close();
  }
}
