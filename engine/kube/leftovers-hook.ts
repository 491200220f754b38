// The leftovers check as a run hook: before a chapter's first step runs, a snapshot of the
// cluster (leftovers.ts); after its last step, another, and what the chapter left behind that
// it did not declare in `leaves:` fails that last step (`leftovers: fail`) or becomes a note
// (`leftovers: warn`). Chapters the plan runs only in part (--only, --tags, --until) are not
// judged; a run resumed with --from judges the chapter from where it resumed. Only the target's
// cluster is looked at: before a chapter that creates it the kubeconfig may select another
// cluster (not judged), and after a chapter that deletes it there is nothing left to look at.
import type { HookContext, RunHook, StepVerdict } from '../execute/hooks.ts';
import type { SourceFile, Step } from '../model.ts';
import { onTarget } from '../plan.ts';
import { parseLeftObject, type LeftObject } from '../read/chapter-meta.ts';
import { sleepUnlessAborted } from '../execute/abortable-sleep.ts';
import { targetClusterProblem } from './guard.ts';

/** How long the check waits for objects that are still terminating (a namespace's contents take a while). */
const SETTLE_MS = 30_000;
const SNAPSHOT_BUDGET_MS = 20_000;

function chapterOf(ctx: HookContext, step: Step): SourceFile | undefined {
  return ctx.runbook.files.find((f) => f.steps.includes(step));
}

/** The chapter's steps the plan runs, when they are all of the chapter from some point on; else undefined. */
function judgedSteps(ctx: HookContext, file: SourceFile): Step[] | undefined {
  const chapter = file.steps.filter((s) => s.kind !== 'cleanup' && onTarget(s, ctx.plan.target));
  const planned = ctx.plan.steps.filter((p) => file.steps.includes(p.step));
  const tail = chapter.slice(chapter.length - planned.length);
  if (!planned.length || planned.some((p, i) => p.step !== tail[i])) return undefined;
  return planned.filter((p) => !p.skipReason).map((p) => p.step);
}

const budget = () => AbortSignal.timeout(SNAPSHOT_BUDGET_MS);

/**
 * The session's environment when its kubeconfig selects a cluster of the target right now (else
 * undefined); asked once per check, since each ask is a round trip to the shell.
 */
async function targetClusterEnv(ctx: HookContext): Promise<Record<string, string> | undefined> {
  const env = await ctx.env();
  return targetClusterProblem({ target: ctx.target, kubeContext: ctx.kubeContext, env }) ? undefined : env;
}

async function clients(ctx: HookContext, env: Record<string, string>) {
  const { kubeClients } = await import('./client.ts');
  return kubeClients({ env, kubeContext: ctx.kubeContext, shared: ctx.shared });
}

export function leftoversHook(mode: 'fail' | 'warn'): RunHook {
  return {
    name: 'leftovers',

    async beforeStep(step, ctx) {
      if (!ctx.target?.context) return undefined;
      const file = chapterOf(ctx, step);
      if (!file || ctx.shared.chapterSnapshots.has(file.path)) return undefined;
      const steps = judgedSteps(ctx, file);
      if (steps?.[0] !== step) return undefined;
      const env = await targetClusterEnv(ctx);
      if (!env) return undefined;
      try {
        const { takeSnapshot } = await import('./leftovers.ts');
        ctx.shared.chapterSnapshots.set(file.path, await takeSnapshot(await clients(ctx, env), budget()));
      } catch {
        /* no cluster yet (this chapter may create it): nothing to compare with, so no check */
      }
      return undefined;
    },

    async afterStep(result, ctx): Promise<StepVerdict | undefined> {
      const file = chapterOf(ctx, result.step);
      const before = file && ctx.shared.chapterSnapshots.get(file.path);
      if (!file || !before || result.status !== 'passed') return undefined;
      const steps = judgedSteps(ctx, file);
      if (steps?.[steps.length - 1] !== result.step) return undefined;
      const env = await targetClusterEnv(ctx);
      if (!env) return undefined;
      const declared = file.chapter.leaves.map(parseLeftObject).filter((e): e is LeftObject => typeof e !== 'string');
      const { takeSnapshot, diffSnapshots, describeLeftovers, leftoverCount } = await import('./leftovers.ts');
      const deadline = Date.now() + SETTLE_MS;
      let leftovers;
      try {
        const api = await clients(ctx, env);
        for (;;) {
          leftovers = diffSnapshots(before, await takeSnapshot(api, budget()), declared);
          // Things on their way out (kubectl delete without --wait, a namespace emptying) get their grace period.
          if (!leftovers.objects.some((o) => o.terminating) || Date.now() > deadline) break;
          await sleepUnlessAborted(1000, AbortSignal.timeout(deadline - Date.now()));
        }
      } catch (e) {
        const { apiErrorText } = await import('./client.ts');
        return { note: `could not check what ${file.relPath} left on the cluster: ${apiErrorText(e)}` };
      }
      const data = {
        leftovers: {
          chapter: file.relPath,
          objects: leftovers.objects.map((o) => ({ kind: o.type.kind, group: o.type.group, namespace: o.namespace, name: o.name })),
          labels: leftovers.labels.map((l) => ({ namespace: l.object.name, key: l.key, before: l.before, after: l.after })),
        },
      };
      if (!leftoverCount(leftovers)) return { data };
      const message = describeLeftovers(file.relPath, leftovers, mode);
      return mode === 'fail' ? { fail: message, data } : { note: message, data };
    },
  };
}
