// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The objects the test server serves, one global resourceVersion counter (like etcd's revision),
// the change history watches replay from, and the knobs tests turn (logs, port-forward targets,
// version, readiness). Every write bumps the counter and is broadcast to open watches.

import { randomBytes, randomUUID } from 'node:crypto';
import { mergePatch } from './patch.ts';
import { resourceByKind, resourceByName, type KubeObject, type ResourceType } from './resources.ts';
import { alreadyExists, conflict, notFound } from './status.ts';
import { withDeploymentAvailable, withNodeReady, withPodReady } from './objects.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  resourceVersion: number;
  type: ChangeType;
  resource: string;
  object: KubeObject;
  /** The object before a MODIFIED change, so selector watches can tell "left the selection". */
  previous?: KubeObject;
}

export interface WatchListener {
  change(change: Change): void;
  bookmark(): void;
  /** The server ends the watch stream (history expired, or a test asked for it). */
  drop(): void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  authorization?: string;
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export interface TcpTarget {
  host: string;
  port: number;
}

export interface WriteOptions {
  /** REST writes keep the stored status: real servers change it only through /status. */
  keepStatus?: boolean;
  /** REST updates carrying metadata.resourceVersion must match the stored one (optimistic locking). */
  checkResourceVersion?: boolean;
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;
const clone = <T>(value: T): T => structuredClone(value);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class KubeStore {
  readonly requests: RecordedRequest[] = [];
  version: VersionInfo = {
    major: '1', minor: '33', gitVersion: 'v1.33.1', gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
    gitTreeState: 'clean', buildDate: '2025-05-15T08:19:08Z', goVersion: 'go1.24.2', compiler: 'gc',
    platform: 'linux/amd64',
  };

  private counter = 1000;
  private oldestWatchable = 0;
  private history: Change[] = [];
  private objects = new Map<string, Map<string, KubeObject>>();
  private listeners = new Set<WatchListener>();
  private logs = new Map<string, string>();
  private forwardTargets = new Map<string, TcpTarget>();

  get resourceVersion(): string {
    return String(this.counter);
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Creates an object (namespace created on the fly if missing). Returns the stored copy. */
  create(object: KubeObject): KubeObject {
    const type = resourceByKind(object.kind);
    const namespace = object.metadata.namespace ?? (type.namespaced ? 'default' : '');
    if (type.namespaced && !this.find(resourceByName('namespaces'), '', namespace)) {
      this.insert(resourceByName('namespaces'), '', { metadata: { name: namespace } });
    }
    return this.insert(type, namespace, object);
  }

  /** Replaces an object's content (status included); metadata identity is kept. */
  update(object: KubeObject): KubeObject {
    const type = resourceByKind(object.kind);
    return this.replace(type, object.metadata.namespace ?? '', object.metadata.name ?? '', object);
  }

  /** Applies a JSON merge patch, e.g. `{status: {phase: 'Running'}}`. */
  patch(resource: string, namespace: string, name: string, patch: object): KubeObject {
    const type = resourceByName(resource);
    const current = this.mustFind(type, namespace, name);
    return this.replace(type, namespace, name, mergePatch(current, patch) as unknown as KubeObject);
  }

  delete(resource: string, namespace: string, name: string): KubeObject {
    return this.remove(resourceByName(resource), namespace, name);
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const found = this.find(resourceByName(resource), namespace, name);
    return found && clone(found);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    return this.all(resourceByName(resource), namespace).map(clone);
  }

  /** Pods and nodes: Ready true/false. Deployments: number of available replicas (or true = all). */
  setReady(resource: 'pods' | 'deployments' | 'nodes', namespace: string, name: string, ready: boolean | number): KubeObject {
    const type = resourceByName(resource);
    const current = this.mustFind(type, namespace, name);
    const next =
      resource === 'pods' ? withPodReady(current, Boolean(ready))
        : resource === 'nodes' ? withNodeReady(current, Boolean(ready))
          : withDeploymentAvailable(current, ready);
    return this.replace(type, namespace, name, next);
  }

  /** Log text for a pod; without `container` it serves every container; `previous` is the last terminated run. */
  setPodLog(namespace: string, pod: string, text: string, options: { container?: string; previous?: boolean } = {}): void {
    this.logs.set(`${namespace}/${pod}/${options.container ?? ''}/${options.previous ? 'previous' : 'current'}`, text);
  }

  podLog(namespace: string, pod: string, container: string, previous: boolean): string | undefined {
    const run = previous ? 'previous' : 'current';
    return this.logs.get(`${namespace}/${pod}/${container}/${run}`) ?? this.logs.get(`${namespace}/${pod}//${run}`);
  }

  setPortForwardTarget(namespace: string, pod: string, port: number, target: TcpTarget): void {
    this.forwardTargets.set(`${namespace}/${pod}/${port}`, target);
  }

  portForwardTarget(namespace: string, pod: string, port: number): TcpTarget | undefined {
    return this.forwardTargets.get(`${namespace}/${pod}/${port}`);
  }

  setVersion(version: Partial<VersionInfo>): void {
    const parsed = /^v(\d+)\.(\d+)/.exec(version.gitVersion ?? '');
    const derived = parsed ? { major: parsed[1], minor: parsed[2] } : {};
    this.version = { ...this.version, ...derived, ...version };
  }

  /**
   * Forgets the change history, as etcd compaction does: a watch from any resourceVersion issued so
   * far then gets an ERROR event with a 410 Expired Status. Open watches are ended too (unless told
   * otherwise), so clients must reconnect from their last resourceVersion and meet the 410.
   */
  expireWatchHistory(options: { dropOpenWatches?: boolean } = {}): void {
    this.counter += 1;
    this.oldestWatchable = this.counter;
    this.history = [];
    if (options.dropOpenWatches ?? true) this.dropWatches();
  }

  /** Ends every open watch stream, as an API server does at its request timeout. */
  dropWatches(): void {
    for (const listener of [...this.listeners]) listener.drop();
  }

  /** Sends a BOOKMARK to every open watch that asked for allowWatchBookmarks. */
  emitBookmarks(): void {
    for (const listener of [...this.listeners]) listener.bookmark();
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ---- used by the HTTP layer ----------------------------------------------------------------

  find(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(type.resource)?.get(key(type.namespaced ? namespace : '', name));
  }

  mustFind(type: ResourceType, namespace: string, name: string): KubeObject {
    const found = this.find(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  /** Objects sorted by namespace then name, the order etcd keys give the real server. */
  all(type: ResourceType, namespace?: string): KubeObject[] {
    const items = [...(this.objects.get(type.resource)?.values() ?? [])]
      .filter((o) => !namespace || !type.namespaced || o.metadata.namespace === namespace);
    return items.sort((a, b) =>
      key(a.metadata.namespace ?? '', a.metadata.name ?? '').localeCompare(key(b.metadata.namespace ?? '', b.metadata.name ?? '')));
  }

  insert(type: ResourceType, namespace: string, body: KubeObject): KubeObject {
    const object = clone(body);
    const meta = object.metadata ?? {};
    const name = meta.name || (meta.generateName ? meta.generateName + randomBytes(3).toString('hex').slice(0, 5) : '');
    if (this.find(type, namespace, name)) throw alreadyExists(type, name);
    const stored: KubeObject = {
      ...object,
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: {
        ...meta,
        name,
        namespace,
        uid: randomUUID(),
        resourceVersion: '',
        creationTimestamp: meta.creationTimestamp ?? now(),
        ...(type.resource === 'deployments' ? { generation: 1 } : {}),
      },
    };
    if (!type.namespaced) delete stored.metadata.namespace;
    if (type.resource === 'namespaces') {
      stored.metadata.labels = { 'kubernetes.io/metadata.name': name, ...stored.metadata.labels };
      stored.spec = { finalizers: ['kubernetes'], ...(stored.spec as object) };
      stored.status = { phase: 'Active', ...(stored.status as object) };
    }
    return this.record(type, 'ADDED', stored);
  }

  replace(type: ResourceType, namespace: string, name: string, body: KubeObject, options: WriteOptions = {}): KubeObject {
    const current = this.mustFind(type, namespace, name);
    const sentVersion = body.metadata?.resourceVersion;
    if (options.checkResourceVersion && sentVersion && sentVersion !== current.metadata.resourceVersion) {
      throw conflict(type, name);
    }
    const next: KubeObject = {
      ...clone(body),
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: {
        ...clone(body.metadata ?? {}),
        name,
        namespace: current.metadata.namespace,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: '',
      },
    };
    if (!type.namespaced) delete next.metadata.namespace;
    if (options.keepStatus) {
      if (current.status === undefined) delete next.status;
      else next.status = clone(current.status);
    }
    if (current.metadata.generation !== undefined) {
      const specChanged = JSON.stringify(current.spec) !== JSON.stringify(next.spec);
      next.metadata.generation = current.metadata.generation + (specChanged ? 1 : 0);
    }
    return this.record(type, 'MODIFIED', next, current);
  }

  remove(type: ResourceType, namespace: string, name: string): KubeObject {
    const current = this.mustFind(type, namespace, name);
    if (type.resource === 'namespaces') {
      for (const contained of ['pods', 'services', 'events', 'deployments'].map(resourceByName)) {
        for (const object of this.all(contained, name)) this.remove(contained, name, object.metadata.name ?? '');
      }
    }
    return this.record(type, 'DELETED', clone(current));
  }

  subscribe(listener: WatchListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Changes after `resourceVersion`, or where history now starts when it no longer reaches back that far. */
  changesSince(resourceVersion: number): Change[] | { expiredBefore: number } {
    if (resourceVersion < this.oldestWatchable) return { expiredBefore: this.oldestWatchable };
    return this.history.filter((c) => c.resourceVersion > resourceVersion);
  }

  private record(type: ResourceType, changeType: ChangeType, object: KubeObject, previous?: KubeObject): KubeObject {
    this.counter += 1;
    object.metadata.resourceVersion = String(this.counter);
    let byKey = this.objects.get(type.resource);
    if (!byKey) this.objects.set(type.resource, (byKey = new Map()));
    const objectKey = key(object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (changeType === 'DELETED') byKey.delete(objectKey);
    else byKey.set(objectKey, object);
    const change: Change = { resourceVersion: this.counter, type: changeType, resource: type.resource, object, previous };
    this.history.push(change);
    for (const listener of [...this.listeners]) listener.change(change);
    return clone(object);
  }
}
