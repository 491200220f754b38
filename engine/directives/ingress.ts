// `ingress [namespace=istio-system] [service=istio-ingressgateway]`: finds how to reach the ingress
// gateway from here (engine/kube/ingress-address.ts has the rules) and exports INGRESS_HOST,
// INGRESS_PORT (the `http2` port), SECURE_INGRESS_PORT (`https`) and GATEWAY_URL into the session.
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { parseDuration } from '../read/duration.ts';
import { kubeClients } from '../kube/client.ts';
import { DEFAULT_LB_GRACE_MS, findIngress } from '../kube/ingress-address.ts';
import { INGRESS_DEFAULTS } from './records/ingress.ts';

async function run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
  const namespace = ctx.attrs.namespace || INGRESS_DEFAULTS.namespace;
  const service = ctx.attrs.service || INGRESS_DEFAULTS.service;
  const graceText = ctx.env.RUNBOOK_LB_GRACE;
  const graceMs = graceText ? parseDuration(graceText) : DEFAULT_LB_GRACE_MS;
  if (graceMs === undefined) return { ok: false, message: `RUNBOOK_LB_GRACE=${graceText} is not a duration; use e.g. 15s` };
  const clients = kubeClients({ env: ctx.env, cwd: ctx.cwd, kubeContext: ctx.kubeContext, shared: ctx.shared });
  const found = await findIngress({
    clients,
    namespace,
    service,
    signal: ctx.signal,
    graceMs,
    progress: ctx.progress,
    log: ctx.log,
    shared: ctx.shared,
    onRunEnd: ctx.onRunEnd,
  });
  if (!found.address) return { ok: false, message: found.message };
  const { host, httpPort, httpsPort, how, why } = found.address;
  const vars: Record<string, string> = { INGRESS_HOST: host, INGRESS_PORT: String(httpPort), GATEWAY_URL: `${host}:${httpPort}` };
  if (httpsPort !== undefined) vars.SECURE_INGRESS_PORT = String(httpsPort);
  await ctx.exportVars(vars);
  ctx.log(`ingress for ${namespace}/${service}: ${how} because ${why}`);
  for (const [name, value] of Object.entries(vars)) ctx.log(`export ${name}=${value}`);
  return { ok: true, data: { ingress: { namespace, service, how, why, ...vars } } };
}

export const handler: DirectiveHandler = { run };
