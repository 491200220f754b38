// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// GET /api/v1/namespaces/NS/pods/NAME/log: text/plain log text the test set, with the kubelet's
// checks (which container, waiting containers) and tailLines/limitBytes. follow=true answers the
// current text and ends, as a log of a finished container would.

import type { KubeObject } from './resources.ts';
import { badRequest } from './status.ts';
import type { KubeStore } from './store.ts';

interface ContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string } };
}

/** The kubelet's words for a container that has not started (kubelet_pods.go validateContainerLogStatus). */
function waitingMessage(container: string, pod: string, reason: string | undefined): string {
  const why = reason === 'ErrImagePull' ? "image can't be pulled"
    : reason === 'ImagePullBackOff' ? 'trying and failing to pull image'
      : reason ?? 'ContainerCreating';
  return `container "${container}" in pod "${pod}" is waiting to start: ${why}`;
}

function lastLines(text: string, count: number): string {
  if (count <= 0) return '';
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  return lines.slice(-count).join('\n') + (endsWithNewline ? '\n' : '');
}

export function podLogText(store: KubeStore, pod: KubeObject, query: URLSearchParams): string {
  const name = pod.metadata.name ?? '';
  const containers = ((pod.spec as { containers?: Array<{ name: string }> })?.containers ?? []).map((c) => c.name);
  let container = query.get('container') ?? '';
  if (!container) {
    if (containers.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    }
    container = containers[0];
  } else if (!containers.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }

  const previous = query.get('previous') === 'true';
  const statuses = (pod.status as { containerStatuses?: ContainerStatus[] })?.containerStatuses ?? [];
  const waiting = statuses.find((s) => s.name === container)?.state?.waiting;
  let text = store.runtime.log(pod.metadata.namespace ?? '', name, container, previous);
  if (previous && text === undefined) {
    throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  }
  if (!previous && waiting) throw badRequest(waitingMessage(container, name, waiting.reason));
  text ??= '';

  const tailLines = query.get('tailLines');
  if (tailLines !== null) text = lastLines(text, Number(tailLines));
  const limitBytes = query.get('limitBytes');
  if (limitBytes !== null) text = Buffer.from(text).subarray(0, Number(limitBytes)).toString();
  return text;
}
