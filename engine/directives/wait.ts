// Runners of `wait rollout` and `wait pods`: Deployments rolled out / Pods ready, by watching the
// API (engine/kube/waiting.ts).
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { kubeClients } from '../kube/client.ts';
import { waitForPods, waitForRollout, type WaitOutcome, type WaitRequest } from '../kube/waiting.ts';
import { withPullLimitHint } from '../kube/pull-limits.ts';

async function run(ctx: DirectiveContext, subject: 'rollout' | 'pods', wait: (request: WaitRequest) => Promise<WaitOutcome>): Promise<DirectiveOutcome> {
  const clients = kubeClients({ env: ctx.env, cwd: ctx.cwd, kubeContext: ctx.kubeContext, shared: ctx.shared });
  const request = {
    clients,
    namespace: ctx.attrs.namespace,
    name: ctx.attrs.name,
    selector: ctx.attrs.selector,
    signal: ctx.signal,
    progress: ctx.progress,
    log: ctx.log,
  };
  const outcome = await wait(request);
  return {
    ok: outcome.ok,
    message: outcome.message && withPullLimitHint(outcome.message),
    data: { wait: { subject, context: clients.context, namespace: request.namespace, objects: outcome.objects.map(({ name, ready, summary }) => ({ name, ready, summary })) } },
  };
}

export const rolloutHandler: DirectiveHandler = { run: (ctx) => run(ctx, 'rollout', waitForRollout) };
export const podsHandler: DirectiveHandler = { run: (ctx) => run(ctx, 'pods', waitForPods) };

/** Either form, by the step's subject (for callers holding a step rather than a record). */
export const handler: DirectiveHandler = { run: (ctx) => (ctx.step.args[0] === 'pods' ? podsHandler.run(ctx) : rolloutHandler.run(ctx)) };
