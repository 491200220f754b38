// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Lists with ?limit= and ?continue= as "API concepts: Retrieving large results sets in chunks"
// specifies them: every page comes from the snapshot the first page saw (same resourceVersion on
// every page), the continue token names that resourceVersion and the key to start after, and a
// token whose resourceVersion has been compacted away answers 410 Expired with a fresh
// ("inconsistent") continue token in the Status' metadata.

import type { KubeObject, ResourceType } from './resources.ts';
import { badRequest, type StatusObject, StatusError } from './status.ts';
import type { KubeStore } from './store.ts';

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

const objectKey = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

function encode(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decode(text: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString()) as ContinueToken;
    if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string' || typeof token.rv !== 'number') throw new Error('bad token');
    return token;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data');
  }
}

export interface ListQuery {
  type: ResourceType;
  namespace?: string;
  selected: (object: KubeObject) => boolean;
  /** Identifies the selection (selectors) so a snapshot is only reused for the same list. */
  selection: string;
  limit: number;
  continueToken: string | null;
}

export interface ListPage {
  items: KubeObject[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

/** Snapshots of chunked lists, kept while their resourceVersion is still within history. */
export class ListSnapshots {
  private snapshots = new Map<string, KubeObject[]>();

  constructor(private readonly store: KubeStore) {}

  page(query: ListQuery): ListPage {
    const { type, namespace, limit } = query;
    const token = query.continueToken ? decode(query.continueToken) : undefined;
    const snapshotKey = (rv: number) => `${rv}|${type.storageKey}|${namespace ?? ''}|${query.selection}`;
    let items: KubeObject[];
    let rv: number;
    if (token) {
      if (token.rv < this.store.oldestResourceVersion) throw this.tooOld(query, token);
      const kept = this.snapshots.get(snapshotKey(token.rv));
      rv = token.rv;
      items = kept ?? this.current(query);
    } else {
      rv = Number(this.store.resourceVersion);
      items = this.current(query);
    }
    const start = token ? items.findIndex((o) => objectKey(o) > token.start) : 0;
    const from = start < 0 ? items.length : start;
    const page = limit > 0 ? items.slice(from, from + limit) : items.slice(from);
    const remaining = items.length - from - page.length;
    const metadata: ListPage['metadata'] = { resourceVersion: String(rv) };
    if (limit > 0 && remaining > 0) {
      metadata.continue = encode({ v: 'meta.k8s.io/v1', rv, start: objectKey(page[page.length - 1]) });
      metadata.remainingItemCount = remaining;
      this.snapshots.set(snapshotKey(rv), items);
    }
    this.forgetExpired();
    return { items: page.map((o) => this.store.present(o, type)), metadata };
  }

  private current(query: ListQuery): KubeObject[] {
    return this.store.all(query.type, query.namespace).filter(query.selected).map((o) => structuredClone(o));
  }

  private forgetExpired(): void {
    for (const key of this.snapshots.keys()) {
      if (Number(key.split('|')[0]) < this.store.oldestResourceVersion) this.snapshots.delete(key);
    }
  }

  private tooOld(query: ListQuery, token: ContinueToken): StatusError {
    const fresh = this.current(query).find((o) => objectKey(o) > token.start);
    const status: StatusObject & { metadata: { continue?: string } } = {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410,
      message: 'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
        'without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. ' +
        'Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted ' +
        'between the time the first chunk was returned and now may show up in the list.',
    };
    if (fresh) status.metadata.continue = encode({ v: 'meta.k8s.io/v1', rv: Number(this.store.resourceVersion), start: token.start });
    return new StatusError(status as StatusObject);
  }
}
