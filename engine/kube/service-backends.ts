// From a Service to the pods behind it, the way `kubectl port-forward svc/NAME` resolves them: the
// Service's selector picks the pods, a Running and Ready pod is chosen, and a service port maps to
// its targetPort — a number, or the name of a container port looked up in the chosen pod.
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';

/** A pod that can take traffic: Running, Ready, not being deleted. */
export function isServing(pod: V1Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata?.deletionTimestamp &&
    (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false)
  );
}

/** The service port with this number (or name). */
export function findServicePort(service: V1Service, port: number | string): V1ServicePort | undefined {
  return service.spec?.ports?.find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
}

/** The container port a targetPort means in this pod (named ports are looked up in its containers). */
export function containerPortFor(pod: V1Pod, targetPort: number | string | undefined, fallback: number): number | undefined {
  if (targetPort === undefined || targetPort === '') return fallback;
  if (typeof targetPort === 'number') return targetPort;
  if (/^\d+$/.test(targetPort)) return Number(targetPort);
  for (const container of pod.spec?.containers ?? []) {
    const found = container.ports?.find((p) => p.name === targetPort);
    if (found) return found.containerPort;
  }
  return undefined;
}

/** A function that maps a chosen pod to the container port behind `servicePort`. */
export function targetPortResolver(servicePort: V1ServicePort): (pod: V1Pod) => number | undefined {
  const target = servicePort.targetPort as number | string | undefined;
  return (pod) => containerPortFor(pod, target, servicePort.port);
}

export function describeServicePorts(service: V1Service): string {
  return (service.spec?.ports ?? []).map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ') || 'none';
}
