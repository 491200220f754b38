// Runner of `wait gateway`: a Gateway API Gateway Programmed and its routes Accepted
// (engine/kube/gateway-status.ts).
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { kubeClients } from '../kube/client.ts';
import { waitForGateway } from '../kube/gateway-status.ts';

async function run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
  const { namespace, name } = ctx.attrs;
  const routes = (ctx.attrs.routes ?? '').split(',').filter(Boolean).map((item) => {
    const parts = item.trim().split('/');
    return { kind: parts[0].toLowerCase(), namespace: parts.length === 3 ? parts[1] : namespace, name: parts[parts.length - 1] };
  });
  const clients = kubeClients({ env: ctx.env, cwd: ctx.cwd, kubeContext: ctx.kubeContext, shared: ctx.shared });
  const outcome = await waitForGateway({ clients, namespace, name, routes, signal: ctx.signal, progress: ctx.progress, log: ctx.log });
  return { ok: outcome.ok, message: outcome.message, data: { gateway: { context: clients.context, namespace, name, ...outcome.gateway, routes: outcome.routes } } };
}

export const handler: DirectiveHandler = { run };
