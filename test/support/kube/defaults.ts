// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The defaults the API server fills in on create (k8s.io/kubernetes pkg/apis/*/v1/defaults.go) for
// the fields the controllers and clients here read: a Deployment's replicas, RollingUpdate budgets,
// revisionHistoryLimit and progressDeadlineSeconds; a pod's restart policy and grace period; a
// Service's type, protocol, targetPort and cluster IP; a Secret's type (Opaque).

import { randomInt } from 'node:crypto';
import type { KubeObject } from './resources.ts';

type Any = Record<string, any>;

function podSpec(spec: Any | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.imagePullPolicy ??= /:latest$|^[^:]*$/.test(c.image ?? '') ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  }
}

export function withDefaults(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  const spec = copy.spec as Any | undefined;
  if (copy.kind === 'Deployment' && spec) {
    spec.replicas ??= 1;
    spec.strategy ??= { type: 'RollingUpdate' };
    if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...spec.strategy.rollingUpdate };
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    podSpec(spec.template?.spec);
  } else if (copy.kind === 'Secret') {
    (copy as Any).type ??= 'Opaque';
  } else if (copy.kind === 'Pod') {
    podSpec(spec);
  } else if (copy.kind === 'Service' && spec) {
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.clusterIP === undefined) {
      spec.clusterIP = `10.96.${randomInt(0, 255)}.${randomInt(1, 254)}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    copy.status ??= { loadBalancer: {} };
  }
  return copy;
}
