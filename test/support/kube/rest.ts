// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The verbs on a resource path: list (with selectors and limit/continue), watch, get, create,
// update, patch, delete, and the pods/log subresource. Returns what to answer; server.ts writes it.

import { applyPatch } from './patch.ts';
import { podLogText } from './pod-log.ts';
import { resourceByName, type KubeObject, type ResourceType } from './resources.ts';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.ts';
import { badRequest, forbidden, methodNotAllowed, notFound, unknownPath } from './status.ts';
import type { KubeStore } from './store.ts';
import type { WatchRequest } from './watch.ts';

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

function list(store: KubeStore, request: ResourceRequest): RestAnswer {
  const { type, namespace, query } = request;
  const selected = store.all(type, namespace).filter(selection(type, query));
  const limit = Number(query.get('limit') ?? 0);
  let start = 0;
  const token = query.get('continue');
  if (token) {
    try {
      start = Number(JSON.parse(Buffer.from(token, 'base64url').toString()).start);
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
  }
  const page = limit > 0 ? selected.slice(start, start + limit) : selected.slice(start);
  const remaining = selected.length - start - page.length;
  const metadata: Record<string, unknown> = { resourceVersion: store.resourceVersion };
  if (limit > 0 && remaining > 0) {
    metadata.continue = Buffer.from(JSON.stringify({ start: start + page.length })).toString('base64url');
    metadata.remainingItemCount = remaining;
  }
  return json({ kind: `${type.kind}List`, apiVersion: type.apiVersion, metadata, items: page.map(listItem) });
}

function requireObjectBody(body: unknown): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object');
  }
  const object = body as KubeObject;
  return { ...object, metadata: object.metadata ?? {} };
}

function create(store: KubeStore, request: ResourceRequest): RestAnswer {
  const { type } = request;
  const body = requireObjectBody(request.body);
  const namespace = request.namespace ?? '';
  if (type.namespaced) {
    if (!request.namespace) throw methodNotAllowed();
    if (body.metadata.namespace && body.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const namespaceType = resourceByName('namespaces');
    const owner = store.find(namespaceType, '', namespace);
    if (!owner) throw notFound(namespaceType, namespace);
    if (owner.metadata.deletionTimestamp) {
      throw forbidden(type, body.metadata.name ?? '', `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }
  if (!body.metadata.name && !body.metadata.generateName) {
    throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: metadata.name or metadata.generateName is required`);
  }
  return json(store.insert(type, namespace, body), 201);
}

function remove(store: KubeStore, request: ResourceRequest, schedule: (task: () => void) => void): RestAnswer {
  const { type, name = '' } = request;
  const namespace = request.namespace ?? '';
  if (type.resource !== 'namespaces') return json(store.remove(type, namespace, name));
  // A namespace first turns Terminating; its contents and then itself go away a moment later.
  const current = store.mustFind(type, '', name);
  if (current.metadata.deletionTimestamp) return json(structuredClone(current));
  const terminating = store.replace(type, '', name, {
    ...current,
    metadata: { ...current.metadata, deletionTimestamp: now() },
    status: { phase: 'Terminating' },
  });
  schedule(() => {
    if (store.find(type, '', name)) store.remove(type, '', name);
  });
  return json(terminating);
}

export function handleResource(
  store: KubeStore,
  request: ResourceRequest,
  schedule: (task: () => void) => void,
): RestAnswer {
  const { method, type, name, subresource, query } = request;
  const namespace = request.namespace ?? '';

  if (subresource) {
    if (type.resource === 'pods' && subresource === 'log' && method === 'GET') {
      return { kind: 'text', text: podLogText(store, store.mustFind(type, namespace, name ?? ''), query) };
    }
    if (type.resource === 'pods' && subresource === 'portforward') {
      store.mustFind(type, namespace, name ?? '');
      throw badRequest('Upgrade request required');
    }
    throw unknownPath();
  }

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
    if (method === 'GET') return list(store, request);
    if (method === 'POST') return create(store, request);
    throw methodNotAllowed();
  }

  switch (method) {
    case 'GET':
      return json(structuredClone(store.mustFind(type, namespace, name)));
    case 'PUT': {
      const body = requireObjectBody(request.body);
      if (body.metadata.name && body.metadata.name !== name) {
        throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
      }
      return json(store.replace(type, namespace, name, body, { keepStatus: true, checkResourceVersion: true }));
    }
    case 'PATCH': {
      const current = store.mustFind(type, namespace, name);
      const patched = applyPatch(current, request.body, request.contentType) as unknown as KubeObject;
      return json(store.replace(type, namespace, name, patched, { keepStatus: true, checkResourceVersion: true }));
    }
    case 'DELETE':
      return remove(store, request, schedule);
    default:
      throw methodNotAllowed();
  }
}
