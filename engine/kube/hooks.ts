// The Kubernetes side of a run, as run hooks the run command passes to the executor:
// - before each step: the context guard (guard.ts), and now and then a background look at the
//   cluster's facts while it exists (cleanup steps may delete it before the run ends);
// - around each chapter: the leftovers check (leftovers-hook.ts), when the runbook turns it on;
// - after a failed step: diagnostics (pods, Warning events, logs) into the step's data;
// - after the run: the cluster facts (kubernetesVersion, nodes, istioVersion) into result.facts.
// The Kubernetes client is loaded only when one of these needs it.
import type { HookContext, RunHook } from '../execute/hooks.ts';
import type { LeftoversMode } from '../model.ts';
import { definitionOf } from '../directives/index.ts';
import type { Redactor } from '../write/redact.ts';
import { checkContext, PROVISION_TAG, targetClusterProblem } from './guard.ts';
import { leftoversHook } from './leftovers-hook.ts';

/** How stale the facts may get before a step triggers another look (Istio gets installed mid-run). */
const FACTS_REFRESH_MS = 30_000;

/** A run works on a cluster when its target names a context, or it used a directive that needs one. */
function usesCluster(ctx: Pick<HookContext, 'target' | 'results'>): boolean {
  return Boolean(ctx.target?.context) || ctx.results.some((r) => r.step.type === 'directive' && definitionOf(r.step)?.needsCluster);
}

async function clientsFor(ctx: HookContext, env: Record<string, string>) {
  const { kubeClients } = await import('./client.ts');
  return kubeClients({ env, kubeContext: ctx.kubeContext, shared: ctx.shared });
}

function refreshFacts(ctx: HookContext, env: Record<string, string>): Promise<void> {
  if (ctx.shared.factsJob) return ctx.shared.factsJob;
  const job = (async () => {
    try {
      const { collectClusterFacts } = await import('./facts.ts');
      const fresh = await collectClusterFacts(await clientsFor(ctx, env));
      ctx.shared.facts = { ...ctx.shared.facts, ...fresh };
    } catch {
      /* no cluster yet, or no more: keep what was seen */
    } finally {
      ctx.shared.factsSeenAt = Date.now();
      ctx.shared.factsJob = undefined;
    }
  })();
  ctx.shared.factsJob = job;
  return job;
}

function redactStrings<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, redact)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, redact)])) as T;
  return value;
}

export const kubernetesHook: RunHook = {
  name: 'kubernetes',

  async beforeStep(step, ctx) {
    if (!ctx.target?.context) return undefined;
    const env = await ctx.env();
    const refusal = checkContext({ step, target: ctx.target, kubeContext: ctx.kubeContext, env });
    const seen = ctx.shared.factsSeenAt;
    if (!refusal && !step.tags.includes(PROVISION_TAG) && (seen === undefined || Date.now() - seen > FACTS_REFRESH_MS)) {
      void refreshFacts(ctx, env);
    }
    return refusal;
  },

  async afterStepFailed(result, ctx) {
    if (!usesCluster(ctx)) return undefined;
    const env = await ctx.env();
    let clients;
    try {
      clients = await clientsFor(ctx, env);
    } catch {
      return undefined; // no cluster to look at (it may not exist yet)
    }
    const { collectDiagnostics } = await import('./diagnostics.ts');
    const { touchedNamespaces } = await import('./touched-namespaces.ts');
    const diagnostics = await collectDiagnostics(clients, touchedNamespaces(ctx.results));
    // Logs and event messages are captured output too: the run's redaction applies, secrets a
    // step exported included.
    return { diagnostics: redactStrings(diagnostics, ctx.redact) };
  },

  async afterRun(result, ctx) {
    if (!usesCluster(ctx)) return undefined;
    await ctx.shared.factsJob;
    // One more look, only at the target's cluster: not after a refusal, nor when cleanup switched away.
    const env = await ctx.env();
    if (!result.refused && !targetClusterProblem({ target: ctx.target, kubeContext: ctx.kubeContext, env })) await refreshFacts(ctx, env);
    const facts = ctx.shared.facts;
    return Object.keys(facts).length ? { ...facts } : undefined;
  },
};

/** The hooks a run on Kubernetes needs, given the runbook's `leftovers:` setting. */
export function kubernetesHooks(options: { leftovers: LeftoversMode }): RunHook[] {
  return options.leftovers === 'off' ? [kubernetesHook] : [kubernetesHook, leftoversHook(options.leftovers)];
}
