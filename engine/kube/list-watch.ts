// Follows a collection of objects the way a Kubernetes controller does: list it, then watch from the
// list's resourceVersion; when the watch ends, watch again from the last resourceVersion seen;
// when the server says that version is gone (410 Expired/Gone), list again — whether the 410 comes
// at the start of a watch or in the middle of its stream. Network errors are retried with a
// growing pause; refused credentials (401, 403) are not, since waiting will not mend them: the
// watch rejects with the server's reason. The caller sees the whole collection after every change.
//
// Written on client-node's Watch rather than its ListWatch informer: the informer starts a new
// watch even when stopped during its list, and stops for good on the first non-410 error.
import * as k8s from '@kubernetes/client-node';
import type { KubeClients } from './client.ts';
import { apiErrorText } from './client.ts';
import { sleepUnlessAborted } from '../execute/abortable-sleep.ts';
import { CredentialError } from './exec-credentials.ts';

export interface ObjectWithMeta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface CollectionWatch<T extends ObjectWithMeta> {
  clients: KubeClients;
  /** API path of the collection, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  /** Lists the collection with the same selectors (typed client-node call). */
  list(signal: AbortSignal): Promise<ListResult<T>>;
  labelSelector?: string;
  fieldSelector?: string;
  signal: AbortSignal;
  /** Called with every object after each list and each change; return true to stop watching. */
  onChange(objects: T[]): boolean;
  /** Things worth a line in the step's output: expiry and re-list, retried errors. */
  onNotice?(text: string): void;
  /** How long a single watch request may stay open before the server ends it (seconds). */
  watchTimeoutSeconds?: number;
}

type WatchEnd = { kind: 'done' } | { kind: 'aborted' } | { kind: 'closed' } | { kind: 'expired' } | { kind: 'error'; message: string };


const keyOf = (o: ObjectWithMeta) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Credentials the API server refused: no retry will change that. */
export class AccessDenied extends Error {}

/** Resolves true when onChange returned true, false when the signal ended the wait. */
export async function watchCollection<T extends ObjectWithMeta>(options: CollectionWatch<T>): Promise<boolean> {
  const { signal } = options;
  const objects = new Map<string, T>();
  let resourceVersion: string | undefined;
  let pause = 200;
  const retry = async (what: string, error: unknown) => {
    options.onNotice?.(`${what}: ${apiErrorText(error)}; retrying in ${pause} ms`);
    await sleepUnlessAborted(pause, signal);
    pause = Math.min(pause * 2, 5000);
  };

  while (!signal.aborted) {
    if (resourceVersion === undefined) {
      let list: ListResult<T>;
      try {
        list = await options.list(signal);
      } catch (e) {
        if (signal.aborted) break;
        const code = (e as { code?: number }).code;
        if (code === 401 || code === 403) throw new AccessDenied(`the API server refused to list ${options.path}: ${apiErrorText(e)}`);
        if (e instanceof CredentialError) throw e;
        await retry('listing failed', e);
        continue;
      }
      objects.clear();
      for (const item of list.items) objects.set(keyOf(item), item);
      resourceVersion = list.metadata?.resourceVersion ?? '';
      if (options.onChange([...objects.values()])) return true;
    }
    const watchStarted = Date.now();
    const end = await watchOnce(options, resourceVersion, objects, (rv) => (resourceVersion = rv));
    if (end.kind === 'done') return true;
    if (end.kind === 'aborted') break;
    if (end.kind === 'expired') {
      options.onNotice?.(`watch expired at resourceVersion ${resourceVersion} (410); listing again`);
      resourceVersion = undefined;
    } else if (end.kind === 'error') {
      await retry('watch failed', new Error(end.message));
      resourceVersion = undefined; // after an error, start from a fresh list
    } else if (Date.now() - watchStarted < 1000) {
      await sleepUnlessAborted(pause, signal); // a server that keeps ending watches at once must not make us spin
      pause = Math.min(pause * 2, 5000);
    } else {
      pause = 200; // a clean end (the server's timeout): watch again from where we were
    }
  }
  return false;
}

function watchOnce<T extends ObjectWithMeta>(
  options: CollectionWatch<T>,
  resourceVersion: string,
  objects: Map<string, T>,
  advance: (rv: string) => void,
): Promise<WatchEnd> {
  const { signal } = options;
  return new Promise<WatchEnd>((resolve) => {
    let settled = false;
    let controller: AbortController | undefined;
    let expired = false;
    const finish = (end: WatchEnd) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      controller?.abort();
      resolve(end);
    };
    const onAbort = () => finish({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    const query = {
      resourceVersion: resourceVersion || undefined,
      allowWatchBookmarks: true,
      timeoutSeconds: options.watchTimeoutSeconds ?? 300,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    };
    const onEvent = (type: string, object: T & { code?: number; message?: string }) => {
      if (settled) return;
      if (type === 'ERROR') {
        if (object?.code === 410) expired = true;
        else options.onNotice?.(`watch error: ${object?.message ?? JSON.stringify(object)}`);
        return;
      }
      const rv = object?.metadata?.resourceVersion;
      if (rv) advance(rv);
      if (type === 'BOOKMARK') return;
      if (type === 'DELETED') objects.delete(keyOf(object));
      else objects.set(keyOf(object), object);
      if (options.onChange([...objects.values()])) finish({ kind: 'done' });
    };
    const onDone = (error: unknown) => {
      if (settled) return;
      if (expired || (error as { statusCode?: number })?.statusCode === 410) finish({ kind: 'expired' });
      else if (error) finish({ kind: 'error', message: apiErrorText(error) });
      else finish({ kind: 'closed' });
    };
    new k8s.Watch(options.clients.kc)
      .watch(options.path, query, onEvent, onDone)
      .then((c) => {
        controller = c;
        if (settled) c.abort();
      })
      .catch((e) => onDone(e ?? new Error('watch could not start')));
  });
}
