// `wait rollout namespace=NS [name=DEPLOY]` and `wait pods namespace=NS [selector=LABELS]`:
// Deployments rolled out / Pods ready, by watching the API (engine/kube/waiting.ts).
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { kubeClients } from '../kube/client.ts';
import { waitForPods, waitForRollout } from '../kube/waiting.ts';

async function run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
  const subject = ctx.step.args[0];
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
  const outcome = subject === 'pods' ? await waitForPods(request) : await waitForRollout(request);
  return {
    ok: outcome.ok,
    message: outcome.message,
    data: { wait: { subject, context: clients.context, namespace: request.namespace, objects: outcome.objects.map(({ name, ready, summary }) => ({ name, ready, summary })) } },
  };
}

export const handler: DirectiveHandler = { run };
