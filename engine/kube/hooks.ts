// Registers the Kubernetes side of a run with the executor (imported by commands/run.ts):
// - before each step: the context guard (guard.ts), and now and then a background look at the
//   cluster's facts while it exists (cleanup steps may delete it before the run ends);
// - after a failed step: diagnostics (pods, Warning events, logs) into the step's data;
// - after the run: the cluster facts (kubernetesVersion, nodes, istioVersion) into result.facts.
// The Kubernetes client is loaded only when one of these needs it.
import { RUN_HOOKS, type HookContext, type RunHook } from '../execute/hooks.ts';
import { makeRedactor, type Redactor } from '../write/redact.ts';
import type { ClusterFacts } from './facts.ts';
import { checkContext, PROVISION_TAG, targetClusterProblem } from './guard.ts';

const KUBE_VERBS = new Set(['wait', 'ingress', 'port-forward']);
const FACTS = 'kube:facts';
const FACTS_JOB = 'kube:facts-job';
const FACTS_TIME = 'kube:facts-time';
/** How stale the facts may get before a step triggers another look (Istio gets installed mid-run). */
const FACTS_REFRESH_MS = 30_000;

/** A run works on a cluster when its target names a context, or it used a Kubernetes directive. */
function usesCluster(ctx: HookContext): boolean {
  return Boolean(ctx.target?.context) || ctx.results.some((r) => r.step.type === 'directive' && KUBE_VERBS.has(r.step.verb));
}

async function clientsFor(ctx: HookContext, env: Record<string, string>) {
  const { kubeClients } = await import('./client.ts');
  return kubeClients({ env, kubeContext: ctx.kubeContext, shared: ctx.shared });
}

/** The facts gathered so far (shared with directives under the key `kube:facts`). */
export function knownFacts(shared: Map<string, unknown>): ClusterFacts {
  return (shared.get(FACTS) as ClusterFacts | undefined) ?? {};
}

function refreshFacts(ctx: HookContext, env: Record<string, string>): Promise<void> {
  const running = ctx.shared.get(FACTS_JOB) as Promise<void> | undefined;
  if (running) return running;
  const job = (async () => {
    try {
      const { collectClusterFacts } = await import('./facts.ts');
      const fresh = await collectClusterFacts(await clientsFor(ctx, env));
      ctx.shared.set(FACTS, { ...knownFacts(ctx.shared), ...fresh });
    } catch {
      /* no cluster yet, or no more: keep what was seen */
    } finally {
      ctx.shared.set(FACTS_TIME, Date.now());
      ctx.shared.delete(FACTS_JOB);
    }
  })();
  ctx.shared.set(FACTS_JOB, job);
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
    const seen = ctx.shared.get(FACTS_TIME) as number | undefined;
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
    // Logs and event messages are captured output too: the runbook's redact patterns apply.
    return { diagnostics: redactStrings(diagnostics, makeRedactor(ctx.runbook.settings.redact)) };
  },

  async afterRun(result, ctx) {
    if (!usesCluster(ctx)) return undefined;
    await ctx.shared.get(FACTS_JOB);
    // One more look, only at the target's cluster: not after a refusal, nor when cleanup switched away.
    const env = await ctx.env();
    if (!result.refused && !targetClusterProblem({ target: ctx.target, kubeContext: ctx.kubeContext, env })) await refreshFacts(ctx, env);
    const facts = knownFacts(ctx.shared);
    return Object.keys(facts).length ? { ...facts } : undefined;
  },
};

if (!RUN_HOOKS.some((hook) => hook.name === kubernetesHook.name)) RUN_HOOKS.push(kubernetesHook);
