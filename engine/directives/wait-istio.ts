// Runner of `wait istio`: the mesh has taken its configuration (engine/kube/istio-sync.ts). The
// session variable RUNBOOK_ISTIO_SETTLE (default 1s) is how long the sync state must hold still.
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { kubeClients } from '../kube/client.ts';
import { istioKind } from '../kube/istio-kinds.ts';
import { waitForIstio, type IstioResource } from '../kube/istio-sync.ts';
import { parseDuration } from '../read/duration.ts';

const DEFAULT_SETTLE_MS = 1000;

async function run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
  const namespaces = ctx.attrs.namespace.split(',').map((s) => s.trim());
  const resources: IstioResource[] = (ctx.attrs.resources ?? '').split(',').filter(Boolean).map((item) => {
    const parts = item.trim().split('/');
    return { kind: istioKind(parts[0])!, namespace: parts.length === 3 ? parts[1] : namespaces[0], name: parts[parts.length - 1] };
  });
  const settleText = ctx.env.RUNBOOK_ISTIO_SETTLE;
  const settleMs = settleText ? parseDuration(settleText) : DEFAULT_SETTLE_MS;
  if (settleMs === undefined) return { ok: false, message: `RUNBOOK_ISTIO_SETTLE=${settleText} is not a duration; use e.g. 1s` };
  const clients = kubeClients({ env: ctx.env, cwd: ctx.cwd, kubeContext: ctx.kubeContext, shared: ctx.shared });
  const outcome = await waitForIstio({
    clients, namespaces, resources, istioNamespace: ctx.attrs['istio-namespace'] ?? 'istio-system', signal: ctx.signal,
    settleMs, pollMs: 500, progress: ctx.progress, log: ctx.log,
  });
  return {
    ok: outcome.ok,
    message: outcome.ok ? undefined : outcome.message,
    data: { istio: { context: clients.context, namespaces, istiod: outcome.istiod, proxies: outcome.proxies, resources: outcome.resources } },
  };
}

export const handler: DirectiveHandler = { run };
