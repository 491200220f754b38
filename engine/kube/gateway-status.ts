// Is a Gateway API Gateway ready for traffic? By the conditions the Gateway API specifies
// (gateway.networking.k8s.io/v1 GatewayConditionType, RouteConditionType): the Gateway Accepted
// and Programmed, each route that names it as a parent Accepted by it with ResolvedRefs — and
// every condition written for the object's current generation (observedGeneration), since a
// controller that has not caught up with an edit still shows the old ones. Followed with watches
// on the Gateway and on the route kinds the cluster serves.
import { apiErrorText, type KubeClients } from './client.ts';
import { getJson, listAll } from './api-request.ts';
import { watchCollection, type ObjectWithMeta } from './list-watch.ts';
import { sleepUnlessAborted } from '../execute/abortable-sleep.ts';

const GROUP = 'gateway.networking.k8s.io';
export const ROUTE_RESOURCES: Record<string, string> = { httproute: 'httproutes', grpcroute: 'grpcroutes', tcproute: 'tcproutes', tlsroute: 'tlsroutes' };

interface Condition { type?: string; status?: string; reason?: string; message?: string; observedGeneration?: number }
interface ParentRef { group?: string; kind?: string; namespace?: string; name?: string; sectionName?: string }
interface GatewayObject extends ObjectWithMeta {
  metadata?: ObjectWithMeta['metadata'] & { generation?: number };
  spec?: { parentRefs?: ParentRef[] };
  status?: { conditions?: Condition[]; parents?: Array<{ parentRef?: ParentRef; controllerName?: string; conditions?: Condition[] }>; addresses?: Array<{ value?: string }> };
}

export interface GatewayWaitRequest {
  clients: KubeClients;
  namespace: string;
  name: string;
  /** Routes that must be attached, as kind/name or kind/namespace/name; empty: every route that names the Gateway. */
  routes: Array<{ kind: string; namespace: string; name: string }>;
  signal: AbortSignal;
  progress(status: string): void;
  log(line: string): void;
}

export interface GatewayWaitOutcome {
  ok: boolean;
  message?: string;
  gateway: { programmed: boolean; why?: string; addresses: string[] };
  routes: { name: string; accepted: boolean; why?: string }[];
}

/** Why a set of conditions is not all True for the object's generation, or undefined. */
function conditionsProblem(conditions: Condition[] | undefined, wanted: string[], generation: number | undefined): string | undefined {
  for (const type of wanted) {
    const c = conditions?.find((x) => x.type === type);
    if (!c) return `no ${type} condition yet`;
    if (generation !== undefined && c.observedGeneration !== undefined && c.observedGeneration < generation) {
      return `${type} describes generation ${c.observedGeneration}, not the current ${generation} (the controller has not caught up)`;
    }
    if (c.status !== 'True') return `${type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`;
  }
  return undefined;
}

function namesGateway(ref: ParentRef, routeNamespace: string, request: GatewayWaitRequest): boolean {
  return (ref.group ?? GROUP) === GROUP && (ref.kind ?? 'Gateway') === 'Gateway' && ref.name === request.name && (ref.namespace ?? routeNamespace) === request.namespace;
}

function evaluate(request: GatewayWaitRequest, gateway: GatewayObject | undefined, routes: Map<string, GatewayObject[]>): GatewayWaitOutcome {
  const gatewayWhy = gateway ? conditionsProblem(gateway.status?.conditions, ['Accepted', 'Programmed'], gateway.metadata?.generation) : 'does not exist yet';
  const outcome: GatewayWaitOutcome = {
    ok: false,
    gateway: { programmed: !gatewayWhy, ...(gatewayWhy ? { why: gatewayWhy } : {}), addresses: (gateway?.status?.addresses ?? []).map((a) => a.value ?? '').filter(Boolean) },
    routes: [],
  };
  const wanted = request.routes.length
    ? request.routes.map((r) => ({ ...r, object: (routes.get(r.kind) ?? []).find((o) => o.metadata?.name === r.name && o.metadata?.namespace === r.namespace) }))
    : [...routes.entries()].flatMap(([kind, list]) => list.filter((o) => (o.spec?.parentRefs ?? []).some((ref) => namesGateway(ref, o.metadata?.namespace ?? '', request))).map((o) => ({ kind, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '', object: o })));
  for (const { kind, namespace, name, object } of wanted) {
    const label = `${kind}/${name}${namespace !== request.namespace ? ` in ${namespace}` : ''}`;
    let why: string | undefined;
    if (!object) why = 'does not exist yet';
    else if (!(object.spec?.parentRefs ?? []).some((ref) => namesGateway(ref, namespace, request))) why = `does not name gateway ${request.namespace}/${request.name} in its parentRefs`;
    else {
      const parent = (object.status?.parents ?? []).find((p) => p.parentRef && namesGateway(p.parentRef, namespace, request));
      why = parent ? conditionsProblem(parent.conditions, ['Accepted', 'ResolvedRefs'], object.metadata?.generation) : 'the gateway controller has not reported on it yet';
    }
    outcome.routes.push({ name: label, accepted: !why, ...(why ? { why } : {}) });
  }
  outcome.routes.sort((a, b) => a.name.localeCompare(b.name));
  outcome.ok = outcome.gateway.programmed && outcome.routes.every((r) => r.accepted);
  return outcome;
}

function describe(request: GatewayWaitRequest, outcome: GatewayWaitOutcome): string {
  const lines = [`gateway ${request.namespace}/${request.name}: ${outcome.gateway.programmed ? 'Programmed' : `not Programmed: ${outcome.gateway.why}`}`];
  for (const r of outcome.routes.filter((x) => !x.accepted)) lines.push(`  ${r.name}: not accepted: ${r.why}`);
  if (!outcome.routes.length && !request.routes.length) lines.push('  (no route names this gateway)');
  lines.push(`see: kubectl -n ${request.namespace} describe gateways.gateway.networking.k8s.io ${request.name}`);
  return lines.join('\n');
}

/** The served version of the Gateway API and its route kinds, waiting for the CRDs if they are not there yet. */
async function discover(request: GatewayWaitRequest): Promise<{ version: string; routeKinds: string[] } | undefined> {
  while (!request.signal.aborted) {
    try {
      const group = await getJson<{ preferredVersion?: { version: string } }>(request.clients, `/apis/${GROUP}`, request.signal);
      const version = group.preferredVersion?.version ?? 'v1';
      const resources = (await getJson<{ resources: Array<{ name: string }> }>(request.clients, `/apis/${GROUP}/${version}`, request.signal)).resources.map((r) => r.name);
      return { version, routeKinds: Object.keys(ROUTE_RESOURCES).filter((k) => resources.includes(ROUTE_RESOURCES[k])) };
    } catch (e) {
      request.progress(`the Gateway API is not served yet (${apiErrorText(e)}); waiting for its CRDs`);
      await sleepUnlessAborted(1000, request.signal);
    }
  }
  return undefined;
}

export async function waitForGateway(request: GatewayWaitRequest): Promise<GatewayWaitOutcome> {
  const empty: GatewayWaitOutcome = { ok: false, gateway: { programmed: false, why: 'not seen', addresses: [] }, routes: [] };
  const api = await discover(request);
  if (!api) return { ...empty, message: `the Gateway API (${GROUP}) is not served by this cluster: install its CRDs first` };
  const stop = new AbortController();
  const signal = AbortSignal.any([request.signal, stop.signal]);
  let gateway: GatewayObject | undefined;
  const routes = new Map<string, GatewayObject[]>();
  let outcome = empty;
  const listed = new Set<string>();
  const check = () => {
    if (listed.size < 1 + api.routeKinds.length) return false; // judge only once every collection was listed
    outcome = evaluate(request, gateway, routes);
    if (outcome.ok) {
      stop.abort();
      return true;
    }
    request.progress(outcome.gateway.programmed ? `gateway Programmed; waiting for ${outcome.routes.find((r) => !r.accepted)?.name}: ${outcome.routes.find((r) => !r.accepted)?.why}` : `gateway ${request.name}: ${outcome.gateway.why}`);
    return false;
  };
  const base = `/apis/${GROUP}/${api.version}`;
  const follow = (path: string, fieldSelector: string | undefined, store: (items: GatewayObject[]) => void) =>
    watchCollection<GatewayObject>({
      clients: request.clients, path, fieldSelector, signal,
      list: (s) => listAll<GatewayObject>(request.clients, fieldSelector ? `${path}?fieldSelector=${encodeURIComponent(fieldSelector)}` : path, s),
      onNotice: request.log,
      onChange: (items) => {
        store(items);
        listed.add(path);
        return check();
      },
    });
  await Promise.all([
    follow(`${base}/namespaces/${request.namespace}/gateways`, `metadata.name=${request.name}`, (items) => (gateway = items[0])),
    ...api.routeKinds.map((kind) => follow(`${base}/${ROUTE_RESOURCES[kind]}`, undefined, (items) => routes.set(kind, items))),
  ]);
  if (outcome.ok) {
    request.log(`gateway ${request.namespace}/${request.name} Programmed${outcome.gateway.addresses.length ? ` (${outcome.gateway.addresses.join(', ')})` : ''}`);
    for (const r of outcome.routes) request.log(`${r.name} Accepted`);
    return outcome;
  }
  return { ...outcome, message: describe(request, outcome) };
}

