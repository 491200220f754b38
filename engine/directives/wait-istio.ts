// Runner of `wait istio`: the mesh has taken its configuration (engine/kube/istio-sync.ts). The
// session variable RUNBOOK_ISTIO_SETTLE (default 1s) is how long the sync state must hold still.
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { kubeClients } from '../kube/client.ts';
import { istioKind } from '../kube/istio-kinds.ts';
import { waitForIstio, type IstioResource } from '../kube/istio-sync.ts';
import { parseDuration } from '../read/duration.ts';
import { commaItems, kindReference } from './values.ts';
import { ISTIOD_NAMESPACE } from './records/wait-istio.ts';

const DEFAULT_SETTLE_MS = 1000;

async function run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
  const namespaces = commaItems(ctx.attrs.namespace);
  const resources: IstioResource[] = commaItems(ctx.attrs.resources).map((item) => {
    const resource = kindReference(item, namespaces[0]);
    return { ...resource, kind: istioKind(resource.kind)! };
  });
  const settleText = ctx.env.RUNBOOK_ISTIO_SETTLE;
  const settleMs = settleText ? parseDuration(settleText) : DEFAULT_SETTLE_MS;
  if (settleMs === undefined) return { ok: false, message: `RUNBOOK_ISTIO_SETTLE=${settleText} is not a duration; use e.g. 1s` };
  const clients = kubeClients({ env: ctx.env, cwd: ctx.cwd, kubeContext: ctx.kubeContext, shared: ctx.shared });
  const outcome = await waitForIstio({
    clients, namespaces, resources, istioNamespace: ctx.attrs['istio-namespace'] ?? ISTIOD_NAMESPACE, signal: ctx.signal,
    settleMs, pollMs: 500, progress: ctx.progress, log: ctx.log,
  });
  return {
    ok: outcome.ok,
    message: outcome.ok ? undefined : outcome.message,
    data: { istio: { context: clients.context, namespaces, istiod: outcome.istiod, proxies: outcome.proxies, resources: outcome.resources } },
  };
}

export const handler: DirectiveHandler = { run };
