// `port-forward service=NAME namespace=NS port=LOCAL[:REMOTE]` (or pod=NAME): a managed
// port-forward on 127.0.0.1:LOCAL for the rest of the run. REMOTE (default LOCAL) is a service
// port, carried to its targetPort in a serving pod; with pod= it is the container port.
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { abortable, apiErrorText, kubeClients } from '../kube/client.ts';
import { PodForwarder, type PortMapping } from '../kube/forwarder.ts';
import { describeServicePorts, findServicePort, targetPortResolver } from '../kube/service-backends.ts';
import { labelMapSelector } from '../kube/selectors.ts';

async function run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
  const [localText, remoteText] = ctx.attrs.port.split(':');
  const local = Number(localText);
  const remote = Number(remoteText ?? localText);
  const clients = kubeClients({ env: ctx.env, cwd: ctx.cwd, kubeContext: ctx.kubeContext, shared: ctx.shared });
  const namespace = ctx.attrs.namespace || clients.kc.getContextObject(clients.context)?.namespace || 'default';
  const what = ctx.attrs.service ? `service/${ctx.attrs.service}` : `pod/${ctx.attrs.pod}`;
  const key = `127.0.0.1:${local}`;
  const running = ctx.shared.portForwards.get(key);
  const target = `${clients.context}/${namespace}/${what}:${remote}`;
  if (running && running.target === target && running.forwarder.pod) {
    ctx.log(`Forwarding from 127.0.0.1:${local} -> ${remote} (already running, ${what} in ${namespace}, pod ${running.forwarder.pod})`);
    return { ok: true, data: { portForward: { localPort: local, remotePort: remote, namespace, target: what, pod: running.forwarder.pod } } };
  }

  let selector: string | undefined;
  let mapping: PortMapping = { localPort: local, containerPort: () => remote, label: `${what} port ${remote}` };
  if (ctx.attrs.service) {
    let service;
    try {
      service = await clients.core.readNamespacedService({ namespace, name: ctx.attrs.service }, abortable(ctx.signal));
    } catch (e) {
      return { ok: false, message: `cannot read service ${ctx.attrs.service} in namespace ${namespace}: ${apiErrorText(e)}` };
    }
    const servicePort = findServicePort(service, remote);
    if (!servicePort) return { ok: false, message: `service ${ctx.attrs.service} in namespace ${namespace} has no port ${remote}; its ports: ${describeServicePorts(service)}` };
    selector = labelMapSelector(service.spec?.selector);
    if (!selector) return { ok: false, message: `service ${ctx.attrs.service} has no selector, so its pods cannot be found; forward to a pod with pod=NAME` };
    mapping = { ...mapping, containerPort: targetPortResolver(servicePort) };
  }

  const forwarder = await PodForwarder.start(
    { clients, namespace, selector, podName: ctx.attrs.pod, mappings: [mapping], onNotice: ctx.log },
    ctx.signal,
  ).catch((e: Error) => e);
  if (forwarder instanceof Error) return { ok: false, message: `${what} in namespace ${namespace}: ${forwarder.message}` };
  ctx.onRunEnd(() => forwarder.close());
  ctx.shared.portForwards.set(key, { target, forwarder });
  ctx.log(`Forwarding from 127.0.0.1:${forwarder.ports[0]} -> ${remote} (${what} in ${namespace}, pod ${forwarder.pod}; until the run ends)`);
  return { ok: true, data: { portForward: { localPort: forwarder.ports[0], remotePort: remote, namespace, target: what, pod: forwarder.pod } } };
}

export const handler: DirectiveHandler = { run };
