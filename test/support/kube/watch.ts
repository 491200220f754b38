// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// ?watch=true: a chunked 200 response carrying one JSON watch event per line,
// {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}, kept open until the client
// leaves, timeoutSeconds passes, or the store drops watches. A resourceVersion older than the
// store's history gets one ERROR event with a 410 Expired Status and the stream ends, as on a
// real server after etcd compaction; a watch already open when history is compacted can get the
// same ERROR in the middle of its stream ("API concepts: Efficient detection of changes": a client
// must handle 410 Gone at any time by listing again).

import type { ServerResponse } from 'node:http';
import type { ObjectPredicate } from './selectors.ts';
import type { KubeObject, ResourceType } from './resources.ts';
import { badRequest, expired } from './status.ts';
import type { Change, KubeStore } from './store.ts';

export interface WatchRequest {
  type: ResourceType;
  /** Undefined for all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  matches: ObjectPredicate;
  resourceVersion: string | null;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
}

type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown };

/** How a change looks through a filtered watch: objects entering or leaving the selection turn into ADDED/DELETED. */
function eventThroughFilter(change: Change, selected: (object: KubeObject) => boolean, present: (o: KubeObject) => KubeObject): WatchEvent | undefined {
  const nowSelected = selected(change.object);
  if (change.type !== 'MODIFIED') return nowSelected ? { type: change.type, object: present(change.object) } : undefined;
  const wasSelected = change.previous ? selected(change.previous) : false;
  if (wasSelected && nowSelected) return { type: 'MODIFIED', object: present(change.object) };
  if (nowSelected) return { type: 'ADDED', object: present(change.object) };
  if (wasSelected) return { type: 'DELETED', object: present(change.object) };
  return undefined;
}

export function parseWatchResourceVersion(text: string | null): number | undefined {
  if (text === null || text === '' || text === '0') return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`invalid resource version "${text}"`);
  return Number(text);
}

export function serveWatch(
  response: ServerResponse,
  store: KubeStore,
  request: WatchRequest,
  bookmarkIntervalMs: number,
): void {
  const { type, namespace } = request;
  const startVersion = parseWatchResourceVersion(request.resourceVersion);
  const selected = (object: KubeObject) =>
    (!namespace || object.metadata.namespace === namespace) && request.matches(object);
  const present = (object: KubeObject) => store.present(object, type);

  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  response.flushHeaders();

  const send = (event: WatchEvent) => {
    if (!response.writableEnded) response.write(JSON.stringify(event) + '\n');
  };
  const bookmark = (annotations?: Record<string, string>) => send({
    type: 'BOOKMARK',
    object: {
      kind: type.kind, apiVersion: type.apiVersion,
      metadata: { resourceVersion: store.resourceVersion, creationTimestamp: null, ...(annotations ? { annotations } : {}) },
    },
  });

  let timeoutTimer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};
  const finish = () => {
    unsubscribe();
    clearTimeout(timeoutTimer);
    clearTimeout(bookmarkTimer);
    if (!response.writableEnded) response.end();
  };
  response.on('close', finish);

  if (startVersion !== undefined) {
    const changes = store.changesSince(startVersion);
    if (!Array.isArray(changes)) {
      send({ type: 'ERROR', object: expired(startVersion, changes.expiredBefore) });
      finish();
      return;
    }
    for (const change of changes) {
      if (change.resource !== type.storageKey) continue;
      const event = eventThroughFilter(change, selected, present);
      if (event) send(event);
    }
  } else {
    // No resourceVersion (or "0"): start with the current state as synthetic ADDED events.
    for (const object of store.all(type, namespace).filter(selected)) send({ type: 'ADDED', object: present(object) });
    if (request.sendInitialEvents && request.allowWatchBookmarks) {
      bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
  }

  unsubscribe = store.subscribe({
    change(change) {
      if (change.resource !== type.storageKey) return;
      const event = eventThroughFilter(change, selected, present);
      if (event) send(event);
    },
    expire(status) {
      send({ type: 'ERROR', object: status });
      finish();
    },
    bookmark() {
      if (request.allowWatchBookmarks) bookmark();
    },
    drop: finish,
  });

  if (request.timeoutSeconds !== undefined) {
    timeoutTimer = setTimeout(finish, request.timeoutSeconds * 1000);
  }
  if (request.allowWatchBookmarks && bookmarkIntervalMs > 0) {
    const tick = () => {
      bookmark();
      bookmarkTimer = setTimeout(tick, bookmarkIntervalMs);
    };
    bookmarkTimer = setTimeout(tick, bookmarkIntervalMs);
  }
}
