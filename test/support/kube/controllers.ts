// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The Deployment and ReplicaSet controllers, and a kubelet that starts the pods they create, so a
// rollout moves through the states a real cluster shows. Opt-in (startKubeApiServer({controllers:
// true})): without it, status only changes when a test changes it.
//
// What they follow (kubernetes/kubernetes pkg/controller):
// - deployment/rolling.go: the new ReplicaSet scales up within maxSurge (NewRSNewReplicas), old
//   ones scale down while at least replicas - maxUnavailable stay available, unhealthy old replicas
//   first (reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate);
//   maxSurge rounds up, maxUnavailable down, and both 0 means maxUnavailable 1 (ResolveFenceposts).
// - deployment/sync.go, progress.go: status sums the ReplicaSets' status (replicas counts old and
//   new, so it is above spec.replicas during a surge), updatedReplicas is the new ReplicaSet's;
//   Available and Progressing conditions with their reasons, ProgressDeadlineExceeded once
//   progressDeadlineSeconds pass without progress.
// - replicaset/replica_set.go: pods are created or deleted until the active ones (not terminating,
//   not finished) match spec.replicas; deletion prefers unready, pending and newer pods (ActivePods
//   ranking); deletion is graceful, so old pods stay Terminating a while.

import { createHash, randomBytes } from 'node:crypto';
import type { KubeObject, ResourceType } from './resources.ts';
import type { KubeStore } from './store.ts';
import { withPodReady, withPodStarting } from './objects.ts';

type Any = Record<string, any>;

export interface ControllerOptions {
  /** 'ready': pods the ReplicaSets create start and turn Ready on their own; 'manual': the test readies them. */
  podStartup?: 'ready' | 'manual';
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A pod-template-hash in the alphabet the controller uses (rand.SafeEncodeString of an FNV hash). */
function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  return [...digest.subarray(0, 10)].map((b) => SAFE[b % SAFE.length]).join('');
}

function resolve(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return Math.floor(total * 0.25);
  if (typeof value === 'number') return value;
  const percent = Number(value.replace('%', '')) / 100;
  return roundUp ? Math.ceil(total * percent) : Math.floor(total * percent);
}

const isReady = (pod: KubeObject) => ((pod.status as Any)?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
const active = (pod: KubeObject) => !pod.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes((pod.status as Any)?.phase);
const ownedBy = (object: KubeObject, owner: KubeObject) => object.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid && r.controller);
const omitZero = (n: number) => (n === 0 ? undefined : n);

export class Controllers {
  private scheduled = false;
  private stopObserving?: () => void;
  private timers = new Set<NodeJS.Timeout>();
  private timedOut = new Set<string>();
  /** Pods this kubelet has started and will report Ready on its next pass. */
  private starting = new Set<string>();
  private closed = false;

  constructor(private readonly store: KubeStore, private readonly options: ControllerOptions = {}) {}

  start(): void {
    this.stopObserving = this.store.observe(() => this.schedule());
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.stopObserving?.();
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** As if the deployment's progressDeadlineSeconds had passed now without progress. */
  exceedProgressDeadline(namespace: string, name: string): void {
    this.timedOut.add(`${namespace}/${name}`);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.closed) this.reconcile();
    });
  }

  private type(name: string): ResourceType {
    return this.store.types.byName(name);
  }

  private reconcile(): void {
    for (const deployment of this.store.all(this.type('deployments'))) this.syncDeployment(deployment);
    for (const rs of this.store.all(this.type('replicasets'))) this.syncReplicaSet(rs);
    if (this.options.podStartup !== 'manual') this.startPods();
  }

  // ---- kubelet ------------------------------------------------------------------------------

  private startPods(): void {
    const pods = this.type('pods');
    for (const pod of this.store.all(pods)) {
      if (!this.starting.delete(pod.metadata.uid ?? '') || !active(pod)) continue;
      this.store.replace(pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', withPodReady(pod, true));
    }
  }

  // ---- ReplicaSet controller ----------------------------------------------------------------

  private syncReplicaSet(rs: KubeObject): void {
    const pods = this.type('pods');
    const namespace = rs.metadata.namespace ?? '';
    const spec = rs.spec as Any;
    const owned = this.store.all(pods, namespace).filter((p) => ownedBy(p, rs));
    const running = owned.filter(active);
    const wanted = spec.replicas ?? 1;
    if (running.length < wanted) {
      for (let i = running.length; i < wanted; i++) {
        const pod = this.store.insert(pods, namespace, this.newPod(rs));
        if (this.options.podStartup !== 'manual') this.starting.add(pod.metadata.uid ?? '');
      }
    } else if (running.length > wanted) {
      for (const pod of this.deletionOrder(running).slice(0, running.length - wanted)) {
        this.store.remove(pods, namespace, pod.metadata.name ?? '');
      }
    }
    const now = this.store.all(pods, namespace).filter((p) => ownedBy(p, rs) && active(p));
    const ready = now.filter(isReady).length;
    const status = {
      replicas: omitZero(now.length), fullyLabeledReplicas: omitZero(now.length), readyReplicas: omitZero(ready),
      availableReplicas: omitZero(ready), observedGeneration: rs.metadata.generation,
    };
    this.writeStatus(this.type('replicasets'), rs, status);
  }

  /** Which pods go first when scaling down: unready, then pending, then the newest. */
  private deletionOrder(pods: KubeObject[]): KubeObject[] {
    const rank = (p: KubeObject) => [isReady(p) ? 1 : 0, (p.status as Any)?.phase === 'Running' ? 1 : 0];
    return [...pods].sort((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      if (ra[0] !== rb[0]) return ra[0] - rb[0];
      if (ra[1] !== rb[1]) return ra[1] - rb[1];
      return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (b.metadata.resourceVersion ?? '').localeCompare(a.metadata.resourceVersion ?? '');
    });
  }

  private newPod(rs: KubeObject): KubeObject {
    const template = (rs.spec as Any).template ?? {};
    const name = `${rs.metadata.name}-${[...randomBytes(5)].map((b) => SAFE[b % SAFE.length]).join('')}`;
    const pod: KubeObject = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name, namespace: rs.metadata.namespace, labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', nodeName: 'kind-control-plane', schedulerName: 'default-scheduler', ...template.spec },
    };
    return withPodStarting(pod);
  }

  // ---- Deployment controller ----------------------------------------------------------------

  private syncDeployment(deployment: KubeObject): void {
    const spec = deployment.spec as Any;
    if (spec.paused) return;
    const namespace = deployment.metadata.namespace ?? '';
    const replicaSets = this.type('replicasets');
    const hash = templateHash(spec.template);
    let owned = this.store.all(replicaSets, namespace).filter((rs) => ownedBy(rs, deployment));
    let newRS = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const olds = () => owned.filter((rs) => rs !== newRS).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    const replicas: number = spec.replicas ?? 1;
    const rolling = (spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const surge = rolling ? resolve(spec.strategy?.rollingUpdate?.maxSurge, replicas, true) : 0;
    let unavailable = rolling ? resolve(spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false) : replicas;
    if (surge === 0 && unavailable === 0) unavailable = 1;
    const specReplicas = (rs: KubeObject) => ((rs.spec as Any).replicas ?? 0) as number;
    const available = (rs: KubeObject) => ((rs.status as Any)?.availableReplicas ?? 0) as number;
    const total = () => owned.reduce((sum, rs) => sum + specReplicas(rs), 0);
    const scale = (rs: KubeObject, to: number) => {
      const updated = this.store.replace(replicaSets, namespace, rs.metadata.name ?? '', { ...rs, spec: { ...(rs.spec as Any), replicas: to } });
      owned = owned.map((o) => (o.metadata.uid === rs.metadata.uid ? updated : o));
      if (newRS?.metadata.uid === rs.metadata.uid) newRS = updated;
    };
    let created = false;
    const revisions = owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0));
    const revision = newRS ? Number(newRS.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 1) : Math.max(0, ...revisions) + 1;

    if (!newRS) {
      const labels = { ...spec.template?.metadata?.labels, 'pod-template-hash': hash };
      const start = rolling ? Math.max(0, Math.min(replicas, replicas + surge - total())) : olds().every((rs) => specReplicas(rs) === 0) ? replicas : 0;
      newRS = this.store.insert(replicaSets, namespace, {
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {
          name: `${deployment.metadata.name}-${hash}`, namespace, labels,
          annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + surge), 'deployment.kubernetes.io/revision': String(revision) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name ?? '', uid: deployment.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas: start, selector: { matchLabels: { ...spec.selector?.matchLabels, 'pod-template-hash': hash } }, template: { ...spec.template, metadata: { ...spec.template?.metadata, labels } } },
      });
      owned.push(newRS);
      created = true;
    } else if (rolling && specReplicas(newRS) < replicas) {
      const room = replicas + surge - total();
      if (room > 0) scale(newRS, specReplicas(newRS) + Math.min(room, replicas - specReplicas(newRS)));
    } else if (specReplicas(newRS) > replicas) {
      scale(newRS, replicas);
    }

    if (rolling) {
      // reconcileOldReplicaSets: how far the old ones may shrink without going under minAvailable.
      const minAvailable = replicas - unavailable;
      const newUnavailable = specReplicas(newRS) - available(newRS);
      let maxScaledDown = total() - minAvailable - newUnavailable;
      for (const rs of olds()) {
        if (maxScaledDown <= 0) break;
        const unhealthy = specReplicas(rs) - available(rs);
        const cut = Math.min(unhealthy, maxScaledDown);
        if (cut > 0) {
          scale(rs, specReplicas(rs) - cut);
          maxScaledDown -= cut;
        }
      }
      const availableAll = owned.reduce((sum, rs) => sum + available(rs), 0);
      let canCut = availableAll - minAvailable;
      for (const rs of olds()) {
        if (canCut <= 0) break;
        const cut = Math.min(specReplicas(rs), canCut);
        if (cut > 0) {
          scale(rs, specReplicas(rs) - cut);
          canCut -= cut;
        }
      }
    } else {
      for (const rs of olds()) if (specReplicas(rs) > 0) scale(rs, 0);
      const oldPods = this.store.all(this.type('pods'), namespace).some((p) => olds().some((rs) => ownedBy(p, rs)));
      if (!oldPods && specReplicas(newRS) !== replicas) scale(newRS, replicas);
    }
    this.writeDeploymentStatus(deployment, owned, newRS, revision, replicas, unavailable, created);
  }

  private writeDeploymentStatus(deployment: KubeObject, owned: KubeObject[], newRS: KubeObject, revision: number, replicas: number, maxUnavailable: number, created: boolean): void {
    const sum = (field: string) => owned.reduce((n, rs) => n + (((rs.status as Any)?.[field] ?? 0) as number), 0);
    const old = (deployment.status ?? {}) as Any;
    const next: Any = {
      observedGeneration: deployment.metadata.generation,
      replicas: sum('replicas'),
      updatedReplicas: ((newRS.status as Any)?.replicas ?? 0) as number,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: sum('availableReplicas'),
    };
    next.unavailableReplicas = Math.max(0, replicas - next.availableReplicas);
    const conditions: Any[] = [...(old.conditions ?? [])];
    const set = (type: string, status: 'True' | 'False', reason: string, message: string, touch: boolean) => {
      const index = conditions.findIndex((c) => c.type === type);
      const current = conditions[index];
      if (current && current.status === status && current.reason === reason && !touch) return;
      const time = now();
      const condition = { type, status, lastUpdateTime: time, lastTransitionTime: current && current.status === status ? current.lastTransitionTime : time, reason, message };
      if (index >= 0) conditions[index] = condition;
      else conditions.push(condition);
    };
    const minAvailable = next.availableReplicas >= replicas - maxUnavailable;
    set('Available', minAvailable ? 'True' : 'False', minAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      minAvailable ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.', false);
    const rsName = newRS.metadata.name;
    const key = `${deployment.metadata.namespace}/${deployment.metadata.name}`;
    const progressing = conditions.find((c) => c.type === 'Progressing');
    const complete = next.updatedReplicas === replicas && next.replicas === replicas && next.availableReplicas === replicas;
    const progressed = next.updatedReplicas > (old.updatedReplicas ?? 0) || next.readyReplicas > (old.readyReplicas ?? 0) ||
      next.availableReplicas > (old.availableReplicas ?? 0) || next.replicas - next.updatedReplicas < (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    if (created) {
      this.timedOut.delete(key);
      set('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, true);
    } else if (complete && !(progressing?.reason === 'NewReplicaSetAvailable')) {
      this.timedOut.delete(key);
      set('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, false);
    } else if (!complete && progressed) {
      this.timedOut.delete(key);
      set('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, true);
    } else if (!complete && progressing && progressing.reason !== 'ProgressDeadlineExceeded') {
      const deadline = (deployment.spec as Any).progressDeadlineSeconds as number | undefined;
      const due = deadline === undefined ? Infinity : Date.parse(progressing.lastUpdateTime) + deadline * 1000;
      if (this.timedOut.has(key) || Date.now() >= due) {
        set('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, false);
      } else if (due !== Infinity) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.schedule();
        }, due - Date.now() + 10);
        this.timers.add(timer);
      }
    }
    next.conditions = conditions;
    for (const field of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) if (next[field] === 0) delete next[field];
    const annotations = { ...deployment.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision) };
    this.writeStatus(this.type('deployments'), { ...deployment, metadata: { ...deployment.metadata, annotations } }, next);
  }

  private writeStatus(type: ResourceType, object: KubeObject, status: Any): void {
    const clean = JSON.parse(JSON.stringify(status));
    const current = this.store.find(type, object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (!current) return;
    if (JSON.stringify(current.status ?? {}) === JSON.stringify(clean) && JSON.stringify(current.metadata.annotations) === JSON.stringify(object.metadata.annotations)) return;
    this.store.replace(type, object.metadata.namespace ?? '', object.metadata.name ?? '', { ...current, metadata: { ...current.metadata, annotations: object.metadata.annotations }, status: clean });
  }
}
