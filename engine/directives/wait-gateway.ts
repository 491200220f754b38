// Runner of `wait gateway`: a Gateway API Gateway Programmed and its routes Accepted
// (engine/kube/gateway-status.ts).
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { kubeClients } from '../kube/client.ts';
import { waitForGateway } from '../kube/gateway-status.ts';
import { commaItems, kindReference } from './values.ts';

async function run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
  const { namespace, name } = ctx.attrs;
  const routes = commaItems(ctx.attrs.routes).map((item) => {
    const route = kindReference(item, namespace);
    return { ...route, kind: route.kind.toLowerCase() };
  });
  const clients = kubeClients({ env: ctx.env, cwd: ctx.cwd, kubeContext: ctx.kubeContext, shared: ctx.shared });
  const outcome = await waitForGateway({ clients, namespace, name, routes, signal: ctx.signal, progress: ctx.progress, log: ctx.log });
  return { ok: outcome.ok, message: outcome.message, data: { gateway: { context: clients.context, namespace, name, ...outcome.gateway, routes: outcome.routes } } };
}

export const handler: DirectiveHandler = { run };
