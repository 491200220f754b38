// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The objects the test server serves, one global resourceVersion counter (like etcd's revision),
// the change history watches replay from, and the knobs tests turn. Every write bumps the counter
// and is broadcast to open watches and to the controllers.
//
// Deletion follows the API's documented lifecycle (API concepts, "Finalizers" and "Garbage
// collection"; pod termination in the Pod lifecycle page): a pod deleted with a grace period stays,
// with deletionTimestamp set, until its containers stop (the kubelet then removes it); a namespace
// turns Terminating and goes with its contents; dependents whose ownerReferences name a deleted
// owner are deleted too (background propagation); a CRD takes its custom resources with it.

import { randomBytes, randomUUID } from 'node:crypto';
import { mergePatch } from './patch.ts';
import { ResourceRegistry, type KubeObject, type ResourceType } from './resources.ts';
import { alreadyExists, conflict, expired, notFound, type StatusObject } from './status.ts';
import { withDeploymentAvailable, withNodeReady, withPodReady } from './objects.ts';
import { PodRuntime, type TcpTarget } from './pod-runtime.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  resourceVersion: number;
  type: ChangeType;
  /** The storage key of the resource ("pods", "virtualservices.networking.istio.io"). */
  resource: string;
  object: KubeObject;
  /** The object before a MODIFIED change, so selector watches can tell "left the selection". */
  previous?: KubeObject;
}

export interface WatchListener {
  change(change: Change): void;
  bookmark(): void;
  /** The server ends the watch stream (a test asked for it, or its timeout). */
  drop(): void;
  /** History was compacted under an open watch: it gets an ERROR 410 and ends. */
  expire(status: StatusObject): void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  authorization?: string;
  /** Who the request authenticated as, when the server checks credentials. */
  user?: string;
  /** Sec-WebSocket-Protocol of upgrade requests. */
  protocols?: string;
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

export type { TcpTarget };

export interface WriteOptions {
  /** REST writes keep the stored status: real servers change it only through /status. */
  keepStatus?: boolean;
  /** REST updates carrying metadata.resourceVersion must match the stored one (optimistic locking). */
  checkResourceVersion?: boolean;
}

export interface DeleteOptions {
  /** Seconds of grace; pods default to spec.terminationGracePeriodSeconds, 0 deletes at once. */
  gracePeriodSeconds?: number;
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;
const clone = <T>(value: T): T => structuredClone(value);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Kinds whose metadata.generation the server maintains (those with a spec and a status subresource, and custom resources). */
const GENERATION_TRACKED = new Set(['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'customresourcedefinitions.apiextensions.k8s.io']);

export class KubeStore {
  readonly requests: RecordedRequest[] = [];
  readonly types = new ResourceRegistry();
  /** What the kubelets would do: logs, port-forward and exec targets, how pods terminate. */
  readonly runtime = new PodRuntime();
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
  private observers = new Set<(change: Change) => void>();

  get resourceVersion(): string {
    return String(this.counter);
  }

  /** The oldest resourceVersion a watch or a continue token may still start from. */
  get oldestResourceVersion(): number {
    return this.oldestWatchable;
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Creates an object (namespace created on the fly if missing). Returns the stored copy. */
  create(object: KubeObject): KubeObject {
    const type = this.types.byKind(object.kind, object.apiVersion);
    const namespace = object.metadata.namespace ?? (type.namespaced ? 'default' : '');
    const namespaces = this.types.byName('namespaces');
    if (type.namespaced && !this.find(namespaces, '', namespace)) this.insert(namespaces, '', { metadata: { name: namespace } });
    return this.insert(type, namespace, object);
  }

  /** Replaces an object's content (status included); metadata identity is kept. */
  update(object: KubeObject): KubeObject {
    const type = this.types.byKind(object.kind, object.apiVersion);
    return this.replace(type, object.metadata.namespace ?? '', object.metadata.name ?? '', object);
  }

  /** Applies a JSON merge patch, e.g. `{status: {phase: 'Running'}}`. */
  patch(resource: string, namespace: string, name: string, patch: object): KubeObject {
    const type = this.types.byName(resource);
    const current = this.mustFind(type, namespace, name);
    return this.replace(type, namespace, name, mergePatch(current, patch) as unknown as KubeObject);
  }

  /** Deletes at once, whatever the kind (a test's hand, not the API's graceful path: see beginDeletion). */
  delete(resource: string, namespace: string, name: string): KubeObject {
    return this.remove(this.types.byName(resource), namespace, name, { gracePeriodSeconds: 0 });
  }

  /** Deletes the way a DELETE request does: pods turn Terminating for their grace period first. */
  beginDeletion(resource: string, namespace: string, name: string, options: DeleteOptions = {}): KubeObject {
    return this.remove(this.types.byName(resource), namespace, name, options);
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const found = this.find(this.types.byName(resource), namespace, name);
    return found && clone(found);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    return this.all(this.types.byName(resource), namespace).map(clone);
  }

  /** Pods and nodes: Ready true/false. Deployments: number of available replicas (or true = all). */
  setReady(resource: 'pods' | 'deployments' | 'nodes', namespace: string, name: string, ready: boolean | number): KubeObject {
    const type = this.types.byName(resource);
    const current = this.mustFind(type, namespace, name);
    const next =
      resource === 'pods' ? withPodReady(current, Boolean(ready))
        : resource === 'nodes' ? withNodeReady(current, Boolean(ready))
          : withDeploymentAvailable(current, ready);
    return this.replace(type, namespace, name, next);
  }

  setPodLog(namespace: string, pod: string, text: string, options: { container?: string; previous?: boolean } = {}): void {
    this.runtime.setLog(namespace, pod, text, options);
  }

  setPortForwardTarget(namespace: string, pod: string, port: number, target: TcpTarget): void {
    this.runtime.setPortForwardTarget(namespace, pod, port, target);
  }

  setVersion(version: Partial<VersionInfo>): void {
    const parsed = /^v(\d+)\.(\d+)/.exec(version.gitVersion ?? '');
    const derived = parsed ? { major: parsed[1], minor: parsed[2] } : {};
    this.version = { ...this.version, ...derived, ...version };
  }

  /**
   * Forgets the change history, as etcd compaction does: a watch or a continue token from any
   * resourceVersion issued so far then gets 410 Expired. Open watches are ended (`drop`, the
   * default: they reconnect from their last resourceVersion and meet the 410 at the start), sent
   * an ERROR 410 in the middle of their stream (`error`), or left open (`keep`).
   */
  expireWatchHistory(options: { openWatches?: 'drop' | 'error' | 'keep'; dropOpenWatches?: boolean } = {}): void {
    const requested = this.counter;
    this.counter += 1;
    this.oldestWatchable = this.counter;
    this.history = [];
    const mode = options.openWatches ?? (options.dropOpenWatches === false ? 'keep' : 'drop');
    if (mode === 'drop') this.dropWatches();
    if (mode === 'error') for (const listener of [...this.listeners]) listener.expire(expired(requested, this.oldestWatchable));
  }

  /** Ends every open watch stream, as an API server does at its request timeout. */
  dropWatches(): void {
    for (const listener of [...this.listeners]) listener.drop();
  }

  /** Sends a BOOKMARK to every open watch that asked for allowWatchBookmarks. */
  emitBookmarks(): void {
    for (const listener of [...this.listeners]) listener.bookmark();
  }

  /** How many watches are open on a resource right now (tests wait for the engine's watch this way). */
  openWatches(): number {
    return this.listeners.size;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ---- used by the HTTP layer and the controllers --------------------------------------------

  find(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(type.storageKey)?.get(key(type.namespaced ? namespace : '', name));
  }

  mustFind(type: ResourceType, namespace: string, name: string): KubeObject {
    const found = this.find(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  /** Objects sorted by namespace then name, the order etcd keys give the real server. */
  all(type: ResourceType, namespace?: string): KubeObject[] {
    const items = [...(this.objects.get(type.storageKey)?.values() ?? [])]
      .filter((o) => !namespace || !type.namespaced || o.metadata.namespace === namespace);
    return items.sort((a, b) =>
      key(a.metadata.namespace ?? '', a.metadata.name ?? '').localeCompare(key(b.metadata.namespace ?? '', b.metadata.name ?? '')));
  }

  /** The object as served at `type`'s version (custom resources are stored once, served at each version). */
  present(object: KubeObject, type: ResourceType): KubeObject {
    const copy = clone(object);
    copy.apiVersion = type.apiVersion;
    return copy;
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
        ...(this.tracksGeneration(type) ? { generation: 1 } : {}),
      },
    };
    if (!type.namespaced) delete stored.metadata.namespace;
    if (type.resource === 'namespaces') {
      stored.metadata.labels = { 'kubernetes.io/metadata.name': name, ...stored.metadata.labels };
      stored.spec = { finalizers: ['kubernetes'], ...(stored.spec as object) };
      stored.status = { phase: 'Active', ...(stored.status as object) };
    }
    if (type.storageKey === 'customresourcedefinitions.apiextensions.k8s.io') this.establish(stored);
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
    if (current.metadata.deletionTimestamp) {
      next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
      next.metadata.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
    }
    if (!type.namespaced) delete next.metadata.namespace;
    if (options.keepStatus) {
      if (current.status === undefined) delete next.status;
      else next.status = clone(current.status);
    }
    if (current.metadata.generation !== undefined) {
      const { metadata: _a, status: _b, ...currentContent } = current;
      const { metadata: _c, status: _d, ...nextContent } = next;
      const specChanged = JSON.stringify(currentContent) !== JSON.stringify(nextContent);
      next.metadata.generation = current.metadata.generation + (specChanged ? 1 : 0);
    }
    if (type.storageKey === 'customresourcedefinitions.apiextensions.k8s.io') this.establish(next);
    if (JSON.stringify({ ...current, metadata: { ...current.metadata, resourceVersion: '' } }) === JSON.stringify(next)) {
      return clone(current); // a no-op write keeps the resourceVersion and sends no event
    }
    return this.record(type, 'MODIFIED', next, current);
  }

  remove(type: ResourceType, namespace: string, name: string, options: DeleteOptions = {}): KubeObject {
    const current = this.mustFind(type, namespace, name);
    if (type.resource === 'pods' && !current.metadata.deletionTimestamp) {
      const grace = options.gracePeriodSeconds ?? (current.spec as { terminationGracePeriodSeconds?: number })?.terminationGracePeriodSeconds ?? 30;
      if (grace > 0) {
        const deadline = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const terminating = this.replace(type, namespace, name, {
          ...current,
          metadata: { ...current.metadata, deletionTimestamp: deadline, deletionGracePeriodSeconds: grace },
        });
        this.runtime.podTerminating(namespace, name, () => {
          if (this.find(type, namespace, name)) this.remove(type, namespace, name, { gracePeriodSeconds: 0 });
        });
        return terminating;
      }
    }
    if (type.resource === 'namespaces') {
      for (const contained of this.types.all().filter((t) => t.namespaced)) {
        for (const object of this.all(contained, name)) {
          if (this.find(contained, name, object.metadata.name ?? '')) this.remove(contained, name, object.metadata.name ?? '', { gracePeriodSeconds: 0 });
        }
      }
    }
    if (type.storageKey === 'customresourcedefinitions.apiextensions.k8s.io') {
      for (const served of this.types.all().filter((t) => t.crd === name)) {
        for (const object of this.all(served)) {
          if (this.find(served, object.metadata.namespace ?? '', object.metadata.name ?? '')) this.remove(served, object.metadata.namespace ?? '', object.metadata.name ?? '');
        }
      }
      this.types.removeCrd(name);
    }
    const removed = this.record(type, 'DELETED', clone(current));
    this.collectDependents(current);
    return removed;
  }

  subscribe(listener: WatchListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Controllers follow every change here (not counted as open watches, never dropped). */
  observe(observer: (change: Change) => void): () => void {
    this.observers.add(observer);
    return () => {
      this.observers.delete(observer);
    };
  }

  /** Changes after `resourceVersion`, or where history now starts when it no longer reaches back that far. */
  changesSince(resourceVersion: number): Change[] | { expiredBefore: number } {
    if (resourceVersion < this.oldestWatchable) return { expiredBefore: this.oldestWatchable };
    return this.history.filter((c) => c.resourceVersion > resourceVersion);
  }

  private tracksGeneration(type: ResourceType): boolean {
    return GENERATION_TRACKED.has(type.storageKey) || Boolean(type.crd);
  }

  /** The apiextensions controller's answer to a CRD: names accepted, established, its kinds served. */
  private establish(crd: KubeObject): void {
    this.types.addCrd(crd);
    const names = (crd.spec as { names: object }).names;
    const condition = (type: string, reason: string, message: string) => ({ type, status: 'True', lastTransitionTime: now(), reason, message });
    crd.status = {
      acceptedNames: names,
      storedVersions: (crd.spec as { versions: Array<{ name: string; storage?: boolean }> }).versions.filter((v) => v.storage).map((v) => v.name),
      conditions: [
        condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
        condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
      ],
    };
  }

  /** Background garbage collection: objects owned by a deleted owner go too. */
  private collectDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const type of this.types.all()) {
      if (this.types.versionsOf(type.storageKey)[0] !== type) continue;
      for (const object of this.all(type)) {
        if (!object.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
        if (this.find(type, object.metadata.namespace ?? '', object.metadata.name ?? '')) this.remove(type, object.metadata.namespace ?? '', object.metadata.name ?? '');
      }
    }
  }

  private record(type: ResourceType, changeType: ChangeType, object: KubeObject, previous?: KubeObject): KubeObject {
    this.counter += 1;
    object.metadata.resourceVersion = String(this.counter);
    let byKey = this.objects.get(type.storageKey);
    if (!byKey) this.objects.set(type.storageKey, (byKey = new Map()));
    const objectKey = key(object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (changeType === 'DELETED') byKey.delete(objectKey);
    else byKey.set(objectKey, object);
    const change: Change = { resourceVersion: this.counter, type: changeType, resource: type.storageKey, object, previous };
    this.history.push(change);
    for (const listener of [...this.listeners]) listener.change(change);
    for (const observer of [...this.observers]) observer(change);
    return clone(object);
  }
}
