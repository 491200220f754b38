// The `wait` directive's reaction time: from the Kubernetes API test server marking the last pod
// (or Deployment) ready to the directive finishing. Watching, not polling, keeps this at a few
// milliseconds; the target is 100 ms on the median of several runs.
import { performance } from 'node:perf_hooks';
import { handler } from '../engine/directives/wait.ts';
import { makeDeployment, makePod, startKubeApiServer, type KubeApiServer } from '../test/support/kube/index.ts';
import { runDirective } from '../test/support/kube-harness.ts';
import type { Measurement } from './measurement.ts';

const RUNS = 9;
const OBJECTS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One wait: all but the last object get ready while the directive watches, then the last; returns the reaction time. */
async function reaction(server: KubeApiServer, env: Record<string, string>, subject: 'pods' | 'rollout', run: number): Promise<number> {
  const namespace = `bench-${subject}-${run}`;
  const names = Array.from({ length: OBJECTS }, (_, i) => `app-${i}`);
  for (const name of names) {
    if (subject === 'pods') server.store.create(makePod(namespace, name, { labels: { app: 'bench' }, ready: false }));
    else server.store.create(makeDeployment(namespace, name, { available: 0 }));
  }
  const resource = subject === 'pods' ? 'pods' : 'deployments';
  let marked = 0;
  let lastMarkedAt = 0;
  const waiting = runDirective(handler, {
    verb: 'wait',
    args: [subject],
    attrs: subject === 'pods' ? { namespace, selector: 'app=bench' } : { namespace },
    env,
    timeoutMs: 10_000,
    onProgress: (status) => {
      // The directive has seen the previous change: mark the next object ready.
      if (!status.startsWith(`${marked}/${OBJECTS} ready`) || marked >= OBJECTS) return;
      const name = names[marked++];
      setImmediate(() => {
        if (marked === OBJECTS) lastMarkedAt = performance.now();
        server.store.setReady(resource, namespace, name, true);
      });
    },
  });
  const done = await waiting;
  const finishedAt = performance.now();
  if (!done.outcome.ok) throw new Error(`wait ${subject} failed: ${done.outcome.message}`);
  return finishedAt - lastMarkedAt;
}

export async function benchWait(): Promise<Measurement[]> {
  const server = await startKubeApiServer();
  try {
    const env = { KUBECONFIG: server.kubeconfigPath('kind-bench'), HOME: '/nonexistent', PATH: process.env.PATH ?? '' };
    const out: Measurement[] = [];
    for (const subject of ['pods', 'rollout'] as const) {
      await reaction(server, env, subject, -1); // warm-up: loads client-node, opens connections
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) times.push(await reaction(server, env, subject, run));
      out.push({ name: `wait ${subject}: last ready → directive done (median of ${RUNS})`, value: median(times), unit: 'ms', limit: 100, better: 'lower' });
      out.push({ name: `wait ${subject}: slowest of ${RUNS}`, value: Math.max(...times), unit: 'ms' });
    }
    return out;
  } finally {
    await server.close();
  }
}
