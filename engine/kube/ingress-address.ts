// Where the ingress gateway can be reached from this machine, decided from its Service (watched,
// not polled) and, when needed, the cluster's nodes:
//
// 1. LoadBalancer with an IP                    → that IP and the service ports;
// 2. LoadBalancer with a hostname (EKS ELB)     → that hostname, once it resolves in DNS;
// 3. type NodePort or ClusterIP                 → a managed port-forward at once (no load balancer will come);
// 4. LoadBalancer still pending after the grace period (RUNBOOK_LB_GRACE, default 15s) on a cluster
//    whose nodes show no cloud provider (kind://… or empty providerIDs) → a managed port-forward;
//    on a cloud (aws://, gce://, …) it keeps waiting for the load balancer until the step's timeout.
//
// The port-forward goes to a serving gateway pod, one local port each for the `http2` and `https`
// service ports (free ports, chosen by the OS), and is reused by later `ingress` steps of the run.
import { lookup } from 'node:dns/promises';
import type { V1Service } from '@kubernetes/client-node';
import { formatDuration } from '../read/duration.ts';
import { abortable, apiErrorText, deadline, type KubeClients } from './client.ts';
import { judgeNodes, type ProviderVerdict } from './cloud-provider.ts';
import { PodForwarder } from './forwarder.ts';
import { watchCollection } from './list-watch.ts';
import { labelMapSelector } from './selectors.ts';
import { describeServicePorts, findServicePort, targetPortResolver } from './service-backends.ts';
import type { RunObjects } from '../directives/run-objects.ts';

export const DEFAULT_LB_GRACE_MS = 15_000;
const DNS_RETRY_MS = 2000;

export interface IngressRequest {
  clients: KubeClients;
  namespace: string;
  service: string;
  signal: AbortSignal;
  graceMs: number;
  progress(status: string): void;
  log(line: string): void;
  /** The run's shared objects: the fallback port-forward lives there for later ingress steps. */
  shared: RunObjects;
  onRunEnd(teardown: () => Promise<void> | void): void;
}

export interface IngressAddress {
  host: string;
  httpPort: number;
  httpsPort?: number;
  how: 'load-balancer-ip' | 'load-balancer-hostname' | 'port-forward';
  why: string;
}

type Decision = { how: IngressAddress['how']; service: V1Service; host?: string; why: string };

export async function findIngress(request: IngressRequest): Promise<{ address?: IngressAddress; message?: string }> {
  const { service: name, namespace } = request;
  const decided = await decide(request);
  if ('message' in decided) return decided;
  const { service } = decided;
  const http2 = findServicePort(service, 'http2');
  const https = findServicePort(service, 'https');
  if (!http2) return { message: `service ${namespace}/${name} has no port named http2; its ports: ${describeServicePorts(service)}` };
  if (!https) request.log(`service ${namespace}/${name} has no port named https: SECURE_INGRESS_PORT is not set`);

  if (decided.how === 'load-balancer-ip') {
    return { address: { host: decided.host!, httpPort: http2.port, httpsPort: https?.port, how: decided.how, why: decided.why } };
  }
  if (decided.how === 'load-balancer-hostname') {
    const resolved = await waitForDns(decided.host!, request);
    if (!resolved.ok) return { message: `the load balancer hostname ${decided.host} of service ${namespace}/${name} does not resolve yet (${resolved.error}); new ELBs can take a few minutes to appear in DNS` };
    request.log(`${decided.host} resolves to ${resolved.address}`);
    return { address: { host: decided.host!, httpPort: http2.port, httpsPort: https?.port, how: decided.how, why: decided.why } };
  }

  const key = forwardKey(request);
  let forwarder = request.shared.ingressForwards.get(key);
  if (!forwarder?.pod) {
    const selector = labelMapSelector(service.spec?.selector);
    if (!selector) return { message: `service ${namespace}/${name} has no selector, so no gateway pod can be found to forward to` };
    try {
      forwarder = await PodForwarder.start(
        {
          clients: request.clients,
          namespace,
          selector,
          mappings: [
            { localPort: 0, containerPort: targetPortResolver(http2), label: `${name} port http2` },
            ...(https ? [{ localPort: 0, containerPort: targetPortResolver(https), label: `${name} port https` }] : []),
          ],
          onNotice: request.log,
        },
        request.signal,
      );
    } catch (e) {
      return { message: `cannot port-forward to the gateway: ${(e as Error).message}` };
    }
    const started = forwarder;
    request.shared.ingressForwards.set(key, started);
    request.onRunEnd(() => started.close());
    request.log(`port-forward to pod ${forwarder.pod}: 127.0.0.1:${forwarder.ports[0]} -> http2${https ? `, 127.0.0.1:${forwarder.ports[1]} -> https` : ''} (until the run ends)`);
  }
  return { address: { host: '127.0.0.1', httpPort: forwarder.ports[0], httpsPort: https ? forwarder.ports[1] : undefined, how: 'port-forward', why: decided.why } };
}

function forwardKey(request: IngressRequest): string {
  return `${request.clients.context}/${request.namespace}/${request.service}`;
}

/** Follows the Service until one of the four rules decides, or the step's time runs out. */
async function decide(request: IngressRequest): Promise<Decision | { message: string }> {
  const { clients, namespace, service: name } = request;
  const stop = new AbortController();
  let latest: V1Service | undefined;
  let verdict: ProviderVerdict | undefined;
  let decision: Decision | undefined;
  const rules = (service: V1Service | undefined): Decision | undefined => {
    if (!service) return undefined;
    const type = service.spec?.type ?? 'ClusterIP';
    const entry = service.status?.loadBalancer?.ingress?.find((i) => i.ip || i.hostname);
    if (type === 'LoadBalancer' && entry?.ip) return { how: 'load-balancer-ip', service, host: entry.ip, why: `the LoadBalancer has the IP ${entry.ip}` };
    if (type === 'LoadBalancer' && entry?.hostname) return { how: 'load-balancer-hostname', service, host: entry.hostname, why: `the LoadBalancer has the hostname ${entry.hostname}` };
    if (type !== 'LoadBalancer') return { how: 'port-forward', service, why: `the service is of type ${type}, so no load balancer will be assigned` };
    if (request.shared.ingressForwards.get(forwardKey(request))?.pod) {
      return { how: 'port-forward', service, why: 'the LoadBalancer still has no address; reusing this run\'s port-forward' };
    }
    if (verdict && !verdict.loadBalancerExpected) {
      return { how: 'port-forward', service, why: `the LoadBalancer has no address after ${formatDuration(request.graceMs)} and ${verdict.why}` };
    }
    return undefined;
  };
  const waiting = () =>
    request.progress(
      latest
        ? `waiting for a LoadBalancer address for service ${namespace}/${name}${verdict ? ` (${verdict.why})` : ''}`
        : `waiting for service ${namespace}/${name} to be created`,
    );
  const grace = setTimeout(async () => {
    verdict = await judgeCluster(clients, request.signal);
    if (request.signal.aborted || stop.signal.aborted) return;
    decision ??= rules(latest);
    if (decision) stop.abort();
    else waiting();
  }, request.graceMs);
  try {
    await watchCollection<V1Service>({
      clients,
      path: `/api/v1/namespaces/${namespace}/services`,
      fieldSelector: `metadata.name=${name}`,
      list: (signal) => clients.core.listNamespacedService({ namespace, fieldSelector: `metadata.name=${name}` }, abortable(signal)),
      signal: AbortSignal.any([request.signal, stop.signal]),
      onNotice: request.log,
      onChange: (items) => {
        latest = items[0];
        decision ??= rules(latest);
        if (decision) return true;
        waiting();
        return false;
      },
    });
  } finally {
    clearTimeout(grace);
  }
  if (decision) return decision;
  if (!latest) return { message: `service ${namespace}/${name} does not exist (is the gateway installed?)` };
  return {
    message: `service ${namespace}/${name} has no LoadBalancer address yet${verdict ? `; ${verdict.why}` : ''}; see: kubectl describe service ${name} -n ${namespace}`,
  };
}

async function judgeCluster(clients: KubeClients, signal: AbortSignal): Promise<ProviderVerdict> {
  try {
    const nodes = await clients.core.listNode({}, abortable(deadline(3000, signal)));
    return judgeNodes(nodes.items);
  } catch (e) {
    return { loadBalancerExpected: true, why: `the nodes could not be read (${apiErrorText(e)}), so the provider is unknown` };
  }
}

async function waitForDns(hostname: string, request: IngressRequest): Promise<{ ok: true; address: string } | { ok: false; error: string }> {
  const started = Date.now();
  let error = 'not tried';
  while (!request.signal.aborted) {
    try {
      const { address } = await lookup(hostname);
      return { ok: true, address };
    } catch (e) {
      error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    }
    request.progress(`waiting for ${hostname} to resolve in DNS (${error}); ${formatDuration(Date.now() - started)} so far`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DNS_RETRY_MS);
      request.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  return { ok: false, error };
}
