// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Istio's control plane as the API server lets a client see it: an `istiod` Deployment and pod in
// istio-system whose monitoring port (15014, named http-monitoring) answers the debug endpoints
// `istioctl proxy-status` and Kiali read through a port-forward (pilot/pkg/xds/debug.go,
// istioctl's AllDiscoveryDo): /debug/syncz[?namespace=] with each connected proxy's last sent and
// acknowledged xDS nonces (SyncStatus: cluster/listener/route/endpoint _sent/_acked, and per type
// URL {sent, acked, sentTime, lastError}), and /debug/configz with the Istio and Gateway API
// configuration istiod has loaded, as Kubernetes objects with their resourceVersions.
//
// The model behind them: every running pod with an `istio-proxy` container (or native sidecar)
// connects; when configuration changes, istiod loads it and pushes new nonces to every proxy,
// which acknowledge them unless a test holds or NACKs them. It also acts as Istio's Gateway API
// controller: a Gateway of class istio is Accepted, gets a `<name>-istio` Deployment and
// LoadBalancer Service, and is Programmed once that Service has an address; routes are Accepted
// by the Gateways they name and resolve their backend Services (ResolvedRefs).

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeDeployment, makePod } from './objects.ts';
import type { KubeObject } from './resources.ts';
import type { Change, KubeStore } from './store.ts';

type Any = Record<string, any>;
const XDS = {
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
} as const;
type XdsType = keyof typeof XDS;
const CONFIG_GROUP = /(^|\.)istio\.io$|^gateway\.networking\.k8s\.io$/;
const GATEWAY_API = 'gateway.networking.k8s.io';

interface Proxy {
  id: string;
  namespace: string;
  router: boolean;
  sent: Partial<Record<XdsType, string>>;
  acked: Partial<Record<XdsType, string>>;
  sentTime: Partial<Record<XdsType, string>>;
  lastError: Partial<Record<XdsType, string>>;
}

export interface IstiodOptions {
  namespace?: string;
  version?: string;
  /** 'manual': istiod loads new configuration only when loadConfig() is called. */
  configLoading?: 'auto' | 'manual';
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const hasProxy = (pod: KubeObject) => {
  const spec = pod.spec as Any;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? []).filter((c: Any) => c.restartPolicy === 'Always')].some((c: Any) => c.name === 'istio-proxy');
};
const running = (pod: KubeObject) => (pod.status as Any)?.phase === 'Running' && !pod.metadata.deletionTimestamp;

export class FakeIstiod {
  readonly podName: string;
  readonly namespace: string;
  private server?: Server;
  private proxies = new Map<string, Proxy>();
  private held = new Set<string>();
  private disconnected = new Set<string>();
  private config = new Map<string, KubeObject>();
  private pushes = 0;
  private stopObserving?: () => void;
  private pendingPush = false;

  constructor(private readonly store: KubeStore, private readonly options: IstiodOptions = {}) {
    this.namespace = options.namespace ?? 'istio-system';
    this.podName = 'istiod-6c8f7d9b5-k2x7q';
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const send = (status: number, body: unknown) => {
        const text = JSON.stringify(body, null, 1);
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(text);
      };
      if (url.pathname === '/debug/syncz') send(200, this.syncz(url.searchParams.get('namespace')));
      else if (url.pathname === '/debug/configz') send(200, [...this.config.values()]);
      else send(404, { error: `${url.pathname} is not a debug endpoint of this istiod` });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const version = this.options.version ?? '1.31.1';
    const deployment = makeDeployment(this.namespace, 'istiod', { labels: { app: 'istiod', istio: 'pilot' }, image: `docker.io/istio/pilot:${version}` });
    (deployment.spec as Any).template.spec.containers[0].name = 'discovery';
    this.store.create(deployment);
    const pod = makePod(this.namespace, this.podName, { labels: { app: 'istiod', istio: 'pilot' }, containers: [{ name: 'discovery', image: `docker.io/istio/pilot:${version}` }] });
    (pod.spec as Any).containers[0].ports = [
      { name: 'grpc-xds', containerPort: 15010, protocol: 'TCP' }, { name: 'https-dns', containerPort: 15012, protocol: 'TCP' },
      { name: 'https-webhooks', containerPort: 15017, protocol: 'TCP' }, { name: 'http-monitoring', containerPort: 15014, protocol: 'TCP' },
    ];
    this.store.create(pod);
    this.store.runtime.setPortForwardTarget(this.namespace, this.podName, 15014, { host: '127.0.0.1', port: (this.server.address() as AddressInfo).port });
    this.stopObserving = this.store.observe((change) => this.observe(change));
    if (this.options.configLoading !== 'manual') this.loadConfig();
    this.connectProxies();
  }

  async close(): Promise<void> {
    this.stopObserving?.();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- test controls -------------------------------------------------------------------------

  /** The proxy stops acknowledging pushes (its Envoy is busy or stuck): STALE from the next push. */
  hold(proxyId: string): void {
    this.held.add(proxyId);
  }

  /** The proxy acknowledges everything it was sent. */
  release(proxyId: string): void {
    this.held.delete(proxyId);
    const proxy = this.proxies.get(proxyId);
    if (proxy) for (const type of Object.keys(proxy.sent) as XdsType[]) this.ack(proxy, type);
  }

  /** The proxy rejects the last push of a type (Envoy NACK) with this error detail. */
  nack(proxyId: string, type: XdsType, error: string): void {
    const proxy = this.proxies.get(proxyId);
    if (!proxy) throw new Error(`istiod has no proxy ${proxyId}`);
    this.held.add(proxyId);
    this.push(proxy, type);
    proxy.lastError[type] = error;
  }

  /** The proxy's connection drops and it does not come back until reconnect() (a pilot-agent that cannot reach istiod). */
  disconnect(proxyId: string): void {
    this.disconnected.add(proxyId);
    this.proxies.delete(proxyId);
  }

  reconnect(proxyId: string): void {
    this.disconnected.delete(proxyId);
    this.connectProxies();
  }

  /** istiod reads the cluster's configuration now (with configLoading 'manual'), then pushes. */
  loadConfig(): void {
    this.config.clear();
    for (const type of this.store.types.all().filter((t) => CONFIG_GROUP.test(t.group))) {
      if (this.store.types.versionsOf(type.storageKey)[0] !== type) continue;
      for (const object of this.store.all(type)) this.config.set(this.keyOf(object), this.configView(object));
    }
    this.pushAll(['cluster', 'listener', 'route', 'endpoint']);
  }

  proxyIds(): string[] {
    return [...this.proxies.keys()];
  }

  // ---- the model ---------------------------------------------------------------------------

  private keyOf(object: KubeObject): string {
    return `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  }

  private configView(object: KubeObject): KubeObject {
    const { managedFields: _, ...metadata } = object.metadata;
    return { kind: object.kind, apiVersion: object.apiVersion, metadata, spec: object.spec, ...(object.status ? { status: object.status } : {}) };
  }

  private observe(change: Change): void {
    const [resource, ...group] = change.resource.split('.');
    const groupName = group.join('.');
    if (CONFIG_GROUP.test(groupName)) {
      if (groupName === GATEWAY_API) this.scheduleGatewayController();
      const statusOnly = change.type === 'MODIFIED' && JSON.stringify(change.previous?.spec) === JSON.stringify(change.object.spec);
      if (this.options.configLoading !== 'manual' && !statusOnly) {
        if (change.type === 'DELETED') this.config.delete(this.keyOf(change.object));
        else this.config.set(this.keyOf(change.object), this.configView(change.object));
        this.schedulePush(['cluster', 'listener', 'route', 'endpoint']);
      }
    } else if (resource === 'pods') {
      this.connectProxies();
      this.schedulePush(['endpoint']);
    } else if (resource === 'services') {
      this.scheduleGatewayController();
      this.schedulePush(['cluster', 'endpoint']);
    }
  }

  /** Pushes are debounced, as istiod debounces (PILOT_DEBOUNCE_AFTER): changes close together make one push. */
  private schedulePush(types: XdsType[]): void {
    if (this.pendingPush) return;
    this.pendingPush = true;
    setImmediate(() => {
      this.pendingPush = false;
      this.pushAll(types);
    });
  }

  private gatewaysPending = false;

  private scheduleGatewayController(): void {
    if (this.gatewaysPending) return;
    this.gatewaysPending = true;
    setImmediate(() => {
      this.gatewaysPending = false;
      this.runGatewayController();
    });
  }

  private connectProxies(): void {
    const seen = new Set<string>();
    for (const pod of this.store.list('pods')) {
      if (!hasProxy(pod) || !running(pod)) continue;
      const id = `${pod.metadata.name}.${pod.metadata.namespace}`;
      if (this.disconnected.has(id)) continue;
      seen.add(id);
      if (this.proxies.has(id)) continue;
      const router = (pod.metadata.labels ?? {})['istio.io/gateway-name'] !== undefined || /gateway/.test((pod.metadata.labels ?? {}).istio ?? '');
      const proxy: Proxy = { id, namespace: pod.metadata.namespace ?? '', router, sent: {}, acked: {}, sentTime: {}, lastError: {} };
      this.proxies.set(id, proxy);
      for (const type of Object.keys(XDS) as XdsType[]) this.push(proxy, type);
    }
    for (const id of this.proxies.keys()) if (!seen.has(id)) this.proxies.delete(id);
  }

  private pushAll(types: XdsType[]): void {
    this.pushes += 1;
    for (const proxy of this.proxies.values()) for (const type of types) this.push(proxy, type);
  }

  private push(proxy: Proxy, type: XdsType): void {
    proxy.sent[type] = `${now()}/${this.pushes}${randomUUID()}`;
    proxy.sentTime[type] = new Date().toISOString();
    delete proxy.lastError[type];
    if (!this.held.has(proxy.id)) this.ack(proxy, type);
  }

  private ack(proxy: Proxy, type: XdsType): void {
    proxy.acked[type] = proxy.sent[type];
    delete proxy.lastError[type];
  }

  private syncz(namespace: string | null): unknown[] {
    return [...this.proxies.values()]
      .filter((p) => !namespace || p.namespace === namespace)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => ({
        cluster_id: 'Kubernetes', proxy: p.id, proxy_type: p.router ? 'router' : 'sidecar', istio_version: this.options.version ?? '1.31.1',
        cluster_sent: p.sent.cluster, cluster_acked: p.acked.cluster, listener_sent: p.sent.listener, listener_acked: p.acked.listener,
        route_sent: p.sent.route, route_acked: p.acked.route, endpoint_sent: p.sent.endpoint, endpoint_acked: p.acked.endpoint,
        resources: Object.fromEntries((Object.keys(XDS) as XdsType[]).filter((t) => p.sent[t]).map((t) => [XDS[t], {
          sent: p.sent[t], ...(p.acked[t] ? { acked: p.acked[t] } : {}), sentTime: p.sentTime[t], ...(p.lastError[t] ? { lastError: p.lastError[t] } : {}),
        }])),
      }));
  }

  // ---- Gateway API controller --------------------------------------------------------------

  private runGatewayController(): void {
    const types = this.store.types;
    let gatewayType;
    try {
      gatewayType = types.byName(`gateways.${GATEWAY_API}`);
    } catch {
      return; // the Gateway API CRDs are not installed
    }
    for (const gateway of this.store.all(gatewayType)) {
      if ((gateway.spec as Any)?.gatewayClassName !== 'istio') continue;
      this.programGateway(gateway);
    }
    for (const kind of ['httproutes', 'grpcroutes', 'tcproutes', 'tlsroutes']) {
      let routeType;
      try {
        routeType = types.byName(`${kind}.${GATEWAY_API}`);
      } catch {
        continue;
      }
      for (const route of this.store.all(routeType)) this.acceptRoute(routeType, route);
    }
  }

  private condition(object: KubeObject, type: string, status: boolean, reason: string, message: string) {
    return { type, status: status ? 'True' : 'False', reason, message, observedGeneration: object.metadata.generation, lastTransitionTime: now() };
  }

  private programGateway(gateway: KubeObject): void {
    const namespace = gateway.metadata.namespace ?? '';
    const name = `${gateway.metadata.name}-istio`;
    const owner = [{ apiVersion: gateway.apiVersion ?? '', kind: 'Gateway', name: gateway.metadata.name ?? '', uid: gateway.metadata.uid ?? '', controller: true }];
    const services = this.store.types.byName('services');
    let service = this.store.find(services, namespace, name);
    if (!service) {
      const ports = ((gateway.spec as Any).listeners ?? []).map((l: Any) => ({ name: `${String(l.protocol).toLowerCase()}-${l.port}`, port: l.port, protocol: 'TCP', targetPort: l.port }));
      service = this.store.insert(services, namespace, {
        apiVersion: 'v1', kind: 'Service',
        metadata: { name, namespace, labels: { 'gateway.networking.k8s.io/gateway-name': gateway.metadata.name ?? '' }, ownerReferences: owner },
        spec: { type: 'LoadBalancer', selector: { 'gateway.networking.k8s.io/gateway-name': gateway.metadata.name ?? '' }, ports: [{ name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 }, ...ports] },
        status: { loadBalancer: {} },
      });
    }
    const address = ((service.status as Any)?.loadBalancer?.ingress ?? [])[0];
    const addressValue = address?.ip ?? address?.hostname;
    const conditions = [
      this.condition(gateway, 'Accepted', true, 'Accepted', 'Resource accepted'),
      addressValue
        ? this.condition(gateway, 'Programmed', true, 'Programmed', `Resource programmed, assigned to service(s) ${name}.${namespace}.svc.cluster.local:${((gateway.spec as Any).listeners ?? [])[0]?.port ?? 80}`)
        : this.condition(gateway, 'Programmed', false, 'AddressNotAssigned', `Assigned to service(s) ${name}.${namespace}.svc.cluster.local, but failed to assign to all requested addresses: address pending for hostname "${name}.${namespace}.svc.cluster.local"`),
    ];
    const status = {
      ...(addressValue ? { addresses: [{ type: address?.ip ? 'IPAddress' : 'Hostname', value: addressValue }] } : {}),
      conditions,
      listeners: ((gateway.spec as Any).listeners ?? []).map((l: Any) => ({
        name: l.name, attachedRoutes: 0, supportedKinds: [{ group: GATEWAY_API, kind: 'HTTPRoute' }, { group: GATEWAY_API, kind: 'GRPCRoute' }],
        conditions: [this.condition(gateway, 'Accepted', true, 'Accepted', 'No errors found'), this.condition(gateway, 'Programmed', true, 'Programmed', 'No errors found'), this.condition(gateway, 'ResolvedRefs', true, 'ResolvedRefs', 'No errors found')],
      })),
    };
    this.writeStatus(`gateways.${GATEWAY_API}`, gateway, status);
  }

  private acceptRoute(routeType: ReturnType<KubeStore['types']['byName']>, route: KubeObject): void {
    const spec = route.spec as Any;
    const gatewayType = this.store.types.byName(`gateways.${GATEWAY_API}`);
    const services = this.store.types.byName('services');
    const routeNamespace = route.metadata.namespace ?? '';
    const missing = (spec.rules ?? []).flatMap((r: Any) => r.backendRefs ?? [])
      .filter((b: Any) => (b.kind ?? 'Service') === 'Service' && !this.store.find(services, b.namespace ?? routeNamespace, b.name))
      .map((b: Any) => `${b.name}.${b.namespace ?? routeNamespace}.svc.cluster.local:${b.port}`);
    const parents = (spec.parentRefs ?? []).map((ref: Any) => {
      const gateway = this.store.find(gatewayType, ref.namespace ?? routeNamespace, ref.name);
      const ours = gateway && (gateway.spec as Any)?.gatewayClassName === 'istio';
      return {
        parentRef: ref, controllerName: 'istio.io/gateway-controller',
        conditions: [
          ours ? this.condition(route, 'Accepted', true, 'Accepted', 'Route was valid')
            : this.condition(route, 'Accepted', false, 'NoMatchingParent', `parent gateway ${ref.namespace ?? routeNamespace}/${ref.name} not found`),
          missing.length ? this.condition(route, 'ResolvedRefs', false, 'BackendNotFound', `backend(s) not found: ${missing.join(', ')}`)
            : this.condition(route, 'ResolvedRefs', true, 'ResolvedRefs', 'All references resolved'),
        ],
      };
    });
    this.writeStatus(routeType.storageKey, route, { parents });
  }

  private writeStatus(resource: string, object: KubeObject, status: Any): void {
    const type = this.store.types.byName(resource);
    const current = this.store.find(type, object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (!current) return;
    const strip = (s: unknown) => JSON.stringify(s, (key, value) => (key === 'lastTransitionTime' ? undefined : value));
    if (strip(current.status) === strip(status)) return;
    this.store.replace(type, object.metadata.namespace ?? '', object.metadata.name ?? '', { ...current, status });
  }
}

export async function startIstiod(store: KubeStore, options: IstiodOptions = {}): Promise<FakeIstiod> {
  const istiod = new FakeIstiod(store, options);
  await istiod.start();
  return istiod;
}
