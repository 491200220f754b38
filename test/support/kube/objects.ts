// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Factories for realistic objects in the wire form the real server returns (zero-valued status
// counters omitted, conditions with reasons and messages), and the readiness transitions tests
// drive instead of a controller or kubelet.

import { randomBytes } from 'node:crypto';
import type { KubeObject } from './resources.ts';

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** Go's omitempty: counters that are zero are absent on the wire. */
const counter = (value: number) => (value === 0 ? undefined : value);

function condition(type: string, status: boolean, reason?: string, message?: string) {
  return {
    type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now(),
    ...(reason ? { reason } : {}), ...(message ? { message } : {}),
  };
}

export function makeNamespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

// ---- pods ------------------------------------------------------------------------------------

export interface ContainerStatusOptions {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  /** A waiting container, e.g. `{reason: 'ImagePullBackOff', message: 'Back-off pulling image ...'}`. */
  waiting?: { reason: string; message?: string };
  terminated?: { reason: string; exitCode: number; message?: string };
}

export interface PodOptions {
  labels?: Record<string, string>;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  containers?: Array<string | { name: string; image?: string; ports?: number[] }>;
  containerStatuses?: ContainerStatusOptions[];
  /**
   * Native sidecars (KEP-753): init containers with restartPolicy Always, as Istio injects its
   * proxy when ENABLE_NATIVE_SIDECARS is on. They keep running beside the containers and count
   * for pod readiness; `ready` defaults to the pod's.
   */
  sidecars?: Array<string | { name: string; image?: string; ready?: boolean }>;
  /** Ordinary init containers, reported as completed (istio-init, istio-validation). */
  initContainers?: string[];
  nodeName?: string;
  podIP?: string;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
}

function containerStatus(name: string, image: string, options: ContainerStatusOptions) {
  const started = !options.waiting && !options.terminated;
  const state = options.waiting ? { waiting: options.waiting }
    : options.terminated ? { terminated: { ...options.terminated, startedAt: now(), finishedAt: now() } }
      : { running: { startedAt: now() } };
  return {
    name, state, lastState: {}, ready: options.ready ?? started, restartCount: options.restartCount ?? 0,
    image, imageID: started ? `${image}@sha256:${hex(32)}` : '',
    ...(started ? { containerID: `containerd://${hex(32)}` } : {}), started,
  };
}

const containerSpec = (c: { name: string; image?: string; ports?: number[] }) => ({
  name: c.name, image: c.image ?? `docker.io/library/${c.name}:latest`, imagePullPolicy: 'IfNotPresent',
  ...(c.ports ? { ports: c.ports.map((port) => ({ containerPort: port, protocol: 'TCP' })) } : {}),
  resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
});

export function makePod(namespace: string, name: string, options: PodOptions = {}): KubeObject {
  const containers = (options.containers ?? ['app']).map((c) => (typeof c === 'string' ? { name: c } : c)).map(containerSpec);
  const sidecars = (options.sidecars ?? []).map((c) => (typeof c === 'string' ? { name: c } : c));
  const initContainers = [
    ...(options.initContainers ?? []).map((n) => containerSpec({ name: n })),
    ...sidecars.map((c) => ({ ...containerSpec(c), restartPolicy: 'Always' })),
  ];
  const statuses = containers.map((c, index) =>
    containerStatus(c.name, c.image, { ready: options.ready ?? true, ...options.containerStatuses?.[index] }));
  const initStatuses = [
    ...(options.initContainers ?? []).map((n) => ({ ...containerStatus(n, `docker.io/library/${n}:latest`, { terminated: { reason: 'Completed', exitCode: 0 } }), ready: false, started: false })),
    ...sidecars.map((c) => containerStatus(c.name, c.image ?? `docker.io/library/${c.name}:latest`, { ready: c.ready ?? options.ready ?? true })),
  ];
  const unready = [...statuses, ...initStatuses.slice((options.initContainers ?? []).length)].filter((s) => !s.ready).map((s) => s.name);
  const allReady = unready.length === 0;
  const anyWaiting = statuses.some((s) => 'waiting' in s.state);
  const podIP = options.podIP ?? `10.244.0.${1 + (parseInt(hex(1), 16) % 250)}`;
  const notReady = `containers with unready status: [${unready.join(' ')}]`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, labels: options.labels ?? { app: name }, ...(options.ownerReferences ? { ownerReferences: options.ownerReferences } : {}) },
    spec: {
      ...(initContainers.length ? { initContainers } : {}),
      containers, restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default', nodeName: options.nodeName ?? 'kind-control-plane',
      schedulerName: 'default-scheduler', enableServiceLinks: true,
    },
    status: {
      phase: options.phase ?? (anyWaiting ? 'Pending' : 'Running'),
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        condition('Ready', allReady, allReady ? undefined : 'ContainersNotReady', allReady ? undefined : notReady),
        condition('ContainersReady', allReady, allReady ? undefined : 'ContainersNotReady', allReady ? undefined : notReady),
        condition('PodScheduled', true),
      ],
      hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }], podIP, podIPs: [{ ip: podIP }],
      startTime: now(), ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}), containerStatuses: statuses, qosClass: 'BestEffort',
    },
  };
}

/** The spec's containers and sidecars, as PodOptions, so a pod can be re-made with another readiness. */
function podShape(pod: KubeObject): Pick<PodOptions, 'containers' | 'sidecars' | 'initContainers'> {
  const spec = pod.spec as { containers: Array<{ name: string; image: string }>; initContainers?: Array<{ name: string; image: string; restartPolicy?: string }> };
  const init = spec.initContainers ?? [];
  return {
    containers: spec.containers,
    sidecars: init.filter((c) => c.restartPolicy === 'Always').map((c) => ({ name: c.name, image: c.image })),
    initContainers: init.filter((c) => c.restartPolicy !== 'Always').map((c) => c.name),
  };
}

/** The pod as the kubelet reports it once every container (sidecars included) runs and passes (or fails) readiness. */
export function withPodReady(pod: KubeObject, ready: boolean): KubeObject {
  const options: PodOptions = {
    labels: pod.metadata.labels, ready, phase: 'Running', podIP: (pod.status as { podIP?: string })?.podIP,
    nodeName: (pod.spec as { nodeName?: string }).nodeName, ...podShape(pod),
  };
  const fresh = makePod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', options);
  return { ...pod, status: fresh.status };
}

/** A pod the kubelet has just started: Pending, its containers still being created. */
export function withPodStarting(pod: KubeObject): KubeObject {
  const shape = podShape(pod);
  const fresh = makePod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', {
    labels: pod.metadata.labels, ready: false, ...shape,
    containerStatuses: (shape.containers ?? []).map(() => ({ waiting: { reason: 'ContainerCreating' } })),
  });
  return { ...pod, status: fresh.status };
}

// ---- deployments -----------------------------------------------------------------------------

export interface DeploymentOptions {
  replicas?: number;
  /** Available (and ready) replicas; defaults to all. */
  available?: number;
  /** Replicas already on the newest template; defaults to all. */
  updated?: number;
  labels?: Record<string, string>;
  image?: string;
  /** Progressing=False with ProgressDeadlineExceeded, as a stuck rollout reports. */
  progressDeadlineExceeded?: boolean;
  /** RollingUpdate budgets (defaults 25%/25%, as the API defaults them). */
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  progressDeadlineSeconds?: number;
  /** Native sidecars in the pod template (see PodOptions.sidecars). */
  sidecars?: string[];
}

function deploymentStatus(name: string, generation: number, replicas: number, options: DeploymentOptions) {
  const available = Math.min(options.available ?? replicas, replicas);
  const updated = options.updated ?? replicas;
  const minimumAvailable = replicas - Math.floor(replicas * 0.25);
  const replicaSet = `${name}-${hex(5).slice(0, 10)}`;
  const progressing = options.progressDeadlineExceeded
    ? condition('Progressing', false, 'ProgressDeadlineExceeded', `ReplicaSet "${replicaSet}" has timed out progressing.`)
    : available >= replicas && updated >= replicas
      ? condition('Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${replicaSet}" has successfully progressed.`)
      : condition('Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${replicaSet}" is progressing.`);
  const isAvailable = available >= minimumAvailable;
  const conditions = [
    condition('Available', isAvailable, isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      isAvailable ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
    progressing,
  ].map(({ lastProbeTime: _, ...rest }) => ({ ...rest, lastUpdateTime: rest.lastTransitionTime }));
  return {
    observedGeneration: generation, replicas: counter(replicas), updatedReplicas: counter(updated),
    readyReplicas: counter(available), availableReplicas: counter(available),
    unavailableReplicas: counter(replicas - available), conditions,
  };
}

export function makeDeployment(namespace: string, name: string, options: DeploymentOptions = {}): KubeObject {
  const replicas = options.replicas ?? 1;
  const labels = options.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace, labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(options.sidecars?.length ? { initContainers: options.sidecars.map((c) => ({ name: c, image: `docker.io/istio/proxyv2:1.31.1`, restartPolicy: 'Always' })) } : {}),
          containers: [{ name, image: options.image ?? `docker.io/library/${name}:latest`, imagePullPolicy: 'IfNotPresent' }],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: options.maxUnavailable ?? '25%', maxSurge: options.maxSurge ?? '25%' } },
      revisionHistoryLimit: 10, progressDeadlineSeconds: options.progressDeadlineSeconds ?? 600,
    },
    status: deploymentStatus(name, 1, replicas, options),
  };
}

/** The deployment as its controller reports it with `available` replicas up (true = all). */
export function withDeploymentAvailable(deployment: KubeObject, available: boolean | number): KubeObject {
  const replicas = (deployment.spec as { replicas?: number }).replicas ?? 1;
  const count = available === true ? replicas : available === false ? 0 : available;
  const generation = deployment.metadata.generation ?? 1;
  const status = deploymentStatus(deployment.metadata.name ?? '', generation, replicas, { available: count });
  return { ...deployment, status };
}

// ---- services --------------------------------------------------------------------------------

export interface ServiceOptions {
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string; nodePort?: number }>;
  selector?: Record<string, string>;
  /** Load balancer addresses: `[{ip: '172.18.255.200'}]` on kind, `[{hostname: 'a1b2.elb.amazonaws.com'}]` on EKS. */
  ingress?: Array<{ ip: string } | { hostname: string }>;
  clusterIP?: string;
  labels?: Record<string, string>;
}

export function makeService(namespace: string, name: string, options: ServiceOptions = {}): KubeObject {
  const type = options.type ?? 'ClusterIP';
  const exposed = type !== 'ClusterIP';
  const clusterIP = options.clusterIP ?? `10.96.${parseInt(hex(1), 16)}.${1 + (parseInt(hex(1), 16) % 250)}`;
  const ports = (options.ports ?? [{ name: 'http', port: 80 }]).map((p, index) => ({
    ...(p.name ? { name: p.name } : {}), protocol: p.protocol ?? 'TCP', port: p.port, targetPort: p.targetPort ?? p.port,
    ...(exposed ? { nodePort: p.nodePort ?? 30000 + ((p.port * 7 + index) % 2767) } : {}),
  }));
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace, labels: options.labels ?? { app: name } },
    spec: {
      type, ports, selector: options.selector ?? { app: name }, clusterIP, clusterIPs: [clusterIP],
      sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
      ...(exposed ? { externalTrafficPolicy: 'Cluster' } : {}),
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
    },
    status: {
      loadBalancer: options.ingress
        ? { ingress: options.ingress.map((entry) => ('ip' in entry ? { ...entry, ipMode: 'VIP' } : entry)) }
        : {},
    },
  };
}

// ---- events ----------------------------------------------------------------------------------

export interface EventOptions {
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string; apiVersion?: string; fieldPath?: string };
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  count?: number;
  component?: string;
  /** Defaults to "<involved name>.<16 hex digits>", the way the real event recorder names events. */
  name?: string;
}

export function makeEvent(namespace: string, options: EventOptions): KubeObject {
  const component = options.component ?? 'kubelet';
  const involved = {
    apiVersion: 'v1', namespace, ...options.involvedObject,
  };
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: options.name ?? `${involved.name}.${hex(8)}`, namespace },
    involvedObject: involved, reason: options.reason, message: options.message,
    source: { component, ...(component === 'kubelet' ? { host: 'kind-control-plane' } : {}) },
    firstTimestamp: now(), lastTimestamp: now(), count: options.count ?? 1, type: options.type ?? 'Normal',
    eventTime: null, reportingComponent: component, reportingInstance: component === 'kubelet' ? 'kind-control-plane' : '',
  };
}

// ---- nodes -----------------------------------------------------------------------------------

export interface NodeOptions {
  ready?: boolean;
  kubeletVersion?: string;
  labels?: Record<string, string>;
  internalIP?: string;
}

function nodeConditions(ready: boolean) {
  const pressure = (type: string, reason: string, message: string) => ({ ...condition(type, false, reason, message), lastHeartbeatTime: now() });
  return [
    pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    {
      ...condition('Ready', ready, ready ? 'KubeletReady' : 'KubeletNotReady',
        ready ? 'kubelet is posting ready status' : 'container runtime network not ready: NetworkReady=false'),
      lastHeartbeatTime: now(),
    },
  ].map(({ lastProbeTime: _, ...rest }) => rest);
}

export function makeNode(name: string, options: NodeOptions = {}): KubeObject {
  const address = options.internalIP ?? '172.18.0.2';
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', ...options.labels,
      },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    status: {
      conditions: nodeConditions(options.ready ?? true),
      addresses: [{ type: 'InternalIP', address }, { type: 'Hostname', address: name }],
      nodeInfo: {
        kubeletVersion: options.kubeletVersion ?? 'v1.33.1', kubeProxyVersion: '', operatingSystem: 'linux',
        architecture: 'amd64', containerRuntimeVersion: 'containerd://2.1.1', osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.8.0', machineID: hex(16), systemUUID: hex(16), bootID: hex(16),
      },
    },
  };
}

export function withNodeReady(node: KubeObject, ready: boolean): KubeObject {
  return { ...node, status: { ...(node.status as object), conditions: nodeConditions(ready) } };
}
