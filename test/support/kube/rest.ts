// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The verbs on a resource path: list (with selectors and limit/continue, list.ts), watch, get,
// create, update, patch (JSON, merge, strategic, apply), delete (graceful for pods), and the
// log and status subresources. Returns what to answer; server.ts writes it.

import { recordUpdate, serverSideApply } from './apply.ts';
import { withDefaults } from './defaults.ts';
import type { ListSnapshots } from './list.ts';
import { applyPatch } from './patch.ts';
import { podLogText } from './pod-log.ts';
import type { KubeObject, ResourceType } from './resources.ts';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.ts';
import { badRequest, forbidden, methodNotAllowed, notFound, unknownPath } from './status.ts';
import type { KubeStore } from './store.ts';
import type { WatchRequest } from './watch.ts';
import { parse as parseYaml } from 'yaml';

export interface ResourceRequest {
  method: string;
  type: ResourceType;
  /** Undefined on cluster-scoped paths and on all-namespaces lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  contentType: string;
  body: unknown;
  /** The field manager of a write: ?fieldManager=, else the client's User-Agent product. */
  manager?: string;
}

export interface RestContext {
  store: KubeStore;
  lists: ListSnapshots;
  /** Runs a task a moment later (namespace termination). */
  schedule(task: () => void): void;
}

export type RestAnswer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'watch'; watch: WatchRequest };

const json = (body: unknown, status = 200): RestAnswer => ({ kind: 'json', status, body });
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** List items go out without kind/apiVersion, as the real server encodes built-in lists. */
function listItem({ kind: _kind, apiVersion: _apiVersion, ...rest }: KubeObject): Omit<KubeObject, 'kind' | 'apiVersion'> {
  return rest;
}

function selection(type: ResourceType, query: URLSearchParams) {
  try {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), type);
    return (object: KubeObject) => labels(object) && fields(object);
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
}

function list(ctx: RestContext, request: ResourceRequest): RestAnswer {
  const { type, namespace, query } = request;
  const page = ctx.lists.page({
    type, namespace, selected: selection(type, query), selection: `${query.get('labelSelector') ?? ''}|${query.get('fieldSelector') ?? ''}`,
    limit: Number(query.get('limit') ?? 0), continueToken: query.get('continue'),
  });
  // Custom resources keep kind/apiVersion on their items, as the apiextensions server encodes them.
  const items = type.crd ? page.items : page.items.map(listItem);
  return json({ kind: type.listKind, apiVersion: type.apiVersion, metadata: page.metadata, items });
}

function requireObjectBody(body: unknown): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object');
  }
  const object = body as KubeObject;
  return { ...object, metadata: object.metadata ?? {} };
}

function checkNamespace(store: KubeStore, type: ResourceType, request: ResourceRequest, name: string): void {
  if (!type.namespaced) return;
  if (!request.namespace) throw methodNotAllowed();
  const namespaceType = store.types.byName('namespaces');
  const owner = store.find(namespaceType, '', request.namespace);
  if (!owner) throw notFound(namespaceType, request.namespace);
  if (owner.metadata.deletionTimestamp) {
    throw forbidden(type, name, `unable to create new content in namespace ${request.namespace} because it is being terminated`);
  }
}

function create(ctx: RestContext, request: ResourceRequest): RestAnswer {
  const { type } = request;
  const body = requireObjectBody(request.body);
  const namespace = request.namespace ?? '';
  if (type.namespaced && body.metadata.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  checkNamespace(ctx.store, type, request, body.metadata.name ?? '');
  if (!body.metadata.name && !body.metadata.generateName) {
    throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: metadata.name or metadata.generateName is required`);
  }
  const managed = recordUpdate(undefined, withDefaults({ ...body, apiVersion: type.apiVersion, kind: type.kind }), type.kind, request.manager);
  return json(ctx.store.present(ctx.store.insert(type, namespace, managed), type), 201);
}

function patch(ctx: RestContext, request: ResourceRequest, name: string): RestAnswer {
  const { store } = ctx;
  const { type, query } = request;
  const namespace = request.namespace ?? '';
  const mediaType = request.contentType.split(';')[0].trim().toLowerCase();
  const current = store.find(type, namespace, name);
  if (mediaType === 'application/apply-patch+yaml') {
    const manager = query.get('fieldManager');
    if (!manager) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    const config = requireObjectBody(request.body);
    const applied = serverSideApply({ live: current, config, kind: type.kind, apiVersion: type.apiVersion, manager, force: query.get('force') === 'true' });
    if (!current) {
      checkNamespace(store, type, request, name);
      return json(store.present(store.insert(type, namespace, withDefaults({ ...applied, kind: type.kind, metadata: { ...applied.metadata, name } })), type), 201);
    }
    return json(store.present(store.replace(type, namespace, name, applied, { keepStatus: request.subresource !== 'status' }), type));
  }
  if (!current) throw notFound(type, name);
  const patched = applyPatch(current, request.body, request.contentType, { kind: type.kind, custom: Boolean(type.crd) }) as unknown as KubeObject;
  const status = request.subresource === 'status';
  const next = status ? { ...current, status: patched.status } : recordUpdate(current, patched, type.kind, request.manager);
  return json(store.present(store.replace(type, namespace, name, next, { keepStatus: !status, checkResourceVersion: true }), type));
}

function put(ctx: RestContext, request: ResourceRequest, name: string): RestAnswer {
  const { store, } = ctx;
  const { type } = request;
  const namespace = request.namespace ?? '';
  const body = requireObjectBody(request.body);
  if (body.metadata.name && body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  const current = store.mustFind(type, namespace, name);
  if (request.subresource === 'status') {
    const next = { ...current, status: body.status, metadata: { ...current.metadata, resourceVersion: body.metadata.resourceVersion } };
    return json(store.present(store.replace(type, namespace, name, next, { checkResourceVersion: true }), type));
  }
  const next = recordUpdate(current, body, type.kind, request.manager);
  return json(store.present(store.replace(type, namespace, name, next, { keepStatus: true, checkResourceVersion: true }), type));
}

function remove(ctx: RestContext, request: ResourceRequest, name: string): RestAnswer {
  const { store } = ctx;
  const { type, query } = request;
  const namespace = request.namespace ?? '';
  const options = (request.body ?? {}) as { gracePeriodSeconds?: number };
  const graceText = query.get('gracePeriodSeconds');
  const gracePeriodSeconds = graceText !== null ? Number(graceText) : options.gracePeriodSeconds;
  if (type.resource !== 'namespaces') return json(store.present(store.remove(type, namespace, name, { gracePeriodSeconds }), type));
  // A namespace first turns Terminating; its contents and then itself go away a moment later.
  const current = store.mustFind(type, '', name);
  if (current.metadata.deletionTimestamp) return json(structuredClone(current));
  const terminating = store.replace(type, '', name, {
    ...current,
    metadata: { ...current.metadata, deletionTimestamp: now() },
    status: { phase: 'Terminating' },
  });
  ctx.schedule(() => {
    if (store.find(type, '', name)) store.remove(type, '', name);
  });
  return json(terminating);
}

/** The scale subresource (autoscaling/v1 Scale), what `kubectl scale` reads and patches. */
function scale(ctx: RestContext, request: ResourceRequest, name: string): RestAnswer {
  const { store } = ctx;
  const { type } = request;
  const namespace = request.namespace ?? '';
  const current = store.mustFind(type, namespace, name);
  const asScale = (object: KubeObject) => ({
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion, creationTimestamp: object.metadata.creationTimestamp },
    spec: { replicas: (object.spec as { replicas?: number })?.replicas ?? 1 },
    status: { replicas: (object.status as { replicas?: number })?.replicas ?? 0, selector: Object.entries((object.spec as { selector?: { matchLabels?: Record<string, string> } })?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') },
  });
  if (request.method === 'GET') return json(asScale(current));
  if (request.method !== 'PATCH' && request.method !== 'PUT') throw methodNotAllowed();
  const wanted = request.method === 'PUT'
    ? requireObjectBody(request.body)
    : (applyPatch(asScale(current), request.body, request.contentType, { kind: 'Scale', custom: false }) as unknown as KubeObject);
  const replicas = (wanted.spec as { replicas?: number })?.replicas;
  if (typeof replicas !== 'number' || replicas < 0) throw badRequest('spec.replicas must be a non-negative number');
  const next = recordUpdate(current, { ...current, spec: { ...(current.spec as object), replicas } }, type.kind, request.manager);
  return json(asScale(store.replace(type, namespace, name, next, { keepStatus: true })));
}

export function handleResource(ctx: RestContext, request: ResourceRequest): RestAnswer {
  const { store } = ctx;
  const { method, type, name, subresource, query } = request;
  const namespace = request.namespace ?? '';

  if (subresource === 'scale' && type.subresources.includes('scale') && name) return scale(ctx, request, name);
  if (subresource && subresource !== 'status') {
    if (type.resource === 'pods' && subresource === 'log' && method === 'GET') {
      return { kind: 'text', text: podLogText(store, store.mustFind(type, namespace, name ?? ''), query) };
    }
    if (type.resource === 'pods' && (subresource === 'portforward' || subresource === 'exec')) {
      store.mustFind(type, namespace, name ?? '');
      throw badRequest('Upgrade request required');
    }
    throw unknownPath();
  }
  if (subresource === 'status' && !type.subresources.includes('status')) throw unknownPath();

  if (!name) {
    if (method === 'GET' && ['true', '1'].includes(query.get('watch') ?? '')) {
      const timeout = query.get('timeoutSeconds');
      return {
        kind: 'watch',
        watch: {
          type, namespace: request.namespace, matches: selection(type, query),
          resourceVersion: query.get('resourceVersion'),
          allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true',
          sendInitialEvents: query.get('sendInitialEvents') === 'true',
          timeoutSeconds: timeout === null ? undefined : Number(timeout),
        },
      };
    }
    if (method === 'GET') return list(ctx, request);
    if (method === 'POST') return create(ctx, request);
    throw methodNotAllowed();
  }

  switch (method) {
    case 'GET':
      return json(store.present(store.mustFind(type, namespace, name), type));
    case 'PUT':
      return put(ctx, request, name);
    case 'PATCH':
      return patch(ctx, { ...request, body: decodeApplyBody(request) }, name);
    case 'DELETE':
      return remove(ctx, request, name);
    default:
      throw methodNotAllowed();
  }
}

/** Apply patches arrive as YAML (or JSON, which is YAML); the router decodes only JSON bodies. */
function decodeApplyBody(request: ResourceRequest): unknown {
  if (typeof request.body !== 'string') return request.body;
  try {
    return parseYaml(request.body);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
}
