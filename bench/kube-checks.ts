// What the cluster checks cost, against the Kubernetes API test server: the leftovers check of one
// chapter (a snapshot before, one after, and the diff, over ~300 objects of the kinds it lists,
// Istio's CRDs installed) compared with one plain list of the same pods; and `wait istio` on a
// mesh already in sync (istiod's endpoints through port-forwards, then the settle time) compared
// with `wait pods` on the same namespace. Goals: the check ≤ 400 ms a chapter; wait istio within
// 500 ms of its settle time (RUNBOOK_ISTIO_SETTLE=200ms here).
import { handler as waitIstio } from '../engine/directives/wait-istio.ts';
import { handler as waitPods } from '../engine/directives/wait.ts';
import { kubeClients } from '../engine/kube/client.ts';
import { listAll } from '../engine/kube/api-request.ts';
import { diffSnapshots, takeSnapshot } from '../engine/kube/leftovers.ts';
import { istioCrds, makeDeployment, makePod, makeService, startIstiod, startKubeApiServer, type FakeIstiod, type KubeApiServer } from '../test/support/kube/index.ts';
import { runDirective } from '../test/support/kube-harness.ts';
import { inProcess, type Case } from './harness.ts';

let server: KubeApiServer | undefined;
let istiod: FakeIstiod | undefined;
const env = () => ({ KUBECONFIG: server!.kubeconfigPath('kind-bench'), HOME: '/nonexistent', PATH: process.env.PATH ?? '', RUNBOOK_ISTIO_SETTLE: '200ms' });

async function setup(): Promise<void> {
  server = await startKubeApiServer();
  for (const crd of istioCrds()) server.store.create(crd);
  for (let n = 0; n < 10; n++) {
    const namespace = `app-${n}`;
    for (let i = 0; i < 8; i++) {
      server.store.create(makeDeployment(namespace, `web-${i}`));
      server.store.create(makeService(namespace, `web-${i}`));
      server.store.create(makePod(namespace, `web-${i}-abcde`, { labels: { app: `web-${i}` }, containers: ['web'], sidecars: ['istio-proxy'] }));
    }
  }
  istiod = await startIstiod(server.store);
}

async function teardown(): Promise<void> {
  await istiod?.close();
  await server?.close();
}

export function kubeCheckCases(): Case[] {
  return [
    {
      name: 'leftovers: the check of one chapter (two snapshots of ~300 objects and a diff) vs one list of the pods',
      setup,
      teardown,
      a: {
        label: 'leftovers check',
        run: inProcess(async () => {
          const clients = kubeClients({ env: env() });
          const before = await takeSnapshot(clients, AbortSignal.timeout(20_000));
          const after = await takeSnapshot(clients, AbortSignal.timeout(20_000));
          if (diffSnapshots(before, after, []).objects.length) throw new Error('nothing changed, yet leftovers were found');
        }),
      },
      b: { label: 'list pods', run: inProcess(() => listAll(kubeClients({ env: env() }), '/api/v1/pods')) },
      goals: [{ kind: 'wall', value: 400 }],
    },
    {
      name: 'wait istio on a mesh in sync (80 proxies, settle 200 ms) vs wait pods of a namespace',
      setup,
      teardown,
      a: {
        label: 'wait istio',
        run: inProcess(async () => {
          const run = await runDirective(waitIstio, { verb: 'wait', args: ['istio'], attrs: { namespace: 'app-0' }, env: env(), timeoutMs: 20_000 });
          if (!run.outcome.ok) throw new Error(run.outcome.message);
        }),
      },
      b: {
        label: 'wait pods',
        run: inProcess(async () => {
          const run = await runDirective(waitPods, { verb: 'wait', args: ['pods'], attrs: { namespace: 'app-0' }, env: env(), timeoutMs: 20_000 });
          if (!run.outcome.ok) throw new Error(run.outcome.message);
        }),
      },
      goals: [{ kind: 'wall', value: 700 }],
    },
  ];
}
