// Rollouts as the Deployment controller runs them (the API test server's controllers), judged by
// `wait rollout` and by the real `kubectl rollout status` side by side: a surge rollout both call
// done on the same change and not before, a passed progress deadline fails both at once, and the
// rules themselves (engine/kube/readiness.ts) against kubectl's rollout_status.go.
import t from 'tap';
import type { V1Deployment } from '@kubernetes/client-node';
import { handler } from '../engine/directives/wait.ts';
import { deploymentReadiness } from '../engine/kube/readiness.ts';
import { makeDeployment, startKubeApiServer, type KubeApiServer, type KubeObject } from './support/kube/index.ts';
import { CONTEXT, runDirective, until, watchOpened } from './support/kube-harness.ts';
import { kubectl } from './support/kubectl.ts';
import { tempDir } from './support/tmp.ts';

type Any = Record<string, any>;
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

async function cluster(t: Parameters<typeof tempDir>[0] & Parameters<typeof kubectl>[0]) {
  const server = await startKubeApiServer({ controllers: { podStartup: 'manual' } });
  t.teardown(() => server.close());
  const kubeconfig = server.kubeconfigPath(CONTEXT);
  return { server, kubeconfig, env: { KUBECONFIG: kubeconfig, HOME: tempDir(t), PATH: process.env.PATH ?? '' } };
}

const deployment = (server: KubeApiServer) => server.store.get('deployments', 'default', 'web') as KubeObject & { status: Any; spec: Any };
const podsOf = (server: KubeApiServer, hash?: string) =>
  server.store.list('pods', 'default').filter((p) => !hash || p.metadata.labels?.['pod-template-hash'] === hash);
const isReady = (p: KubeObject) => ((p.status as Any).conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
/** The Deployment controller has caught up with its ReplicaSets' status (no change of theirs left to sum up). */
const settled = (server: KubeApiServer) => {
  const total = server.store.list('replicasets', 'default').reduce((n, rs) => n + ((rs.status as Any)?.replicas ?? 0), 0);
  return (deployment(server).status?.replicas ?? 0) === total;
};

/** A Deployment the controllers have rolled out once: 3 replicas Ready on the first template. */
async function rolledOut(server: KubeApiServer, options: { maxSurge: number; maxUnavailable: number }) {
  const object = makeDeployment('default', 'web', { replicas: 3, ...options });
  server.store.create({ ...object, status: {} });
  await until(() => podsOf(server).length === 3, 'three pods');
  for (const pod of podsOf(server)) server.store.setReady('pods', 'default', pod.metadata.name ?? '', true);
  await until(() => deployment(server).status?.availableReplicas === 3 && deployment(server).status?.updatedReplicas === 3, 'the first rollout');
}

t.test('a surge rollout: wait rollout and kubectl rollout status call it done on the same change, and not before', async (t) => {
  const { server, kubeconfig, env } = await cluster(t);
  await rolledOut(server, { maxSurge: 1, maxUnavailable: 0 });
  server.store.patch('deployments', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'docker.io/library/web:2' }] } } } });
  await until(() => server.store.list('replicasets', 'default').length === 2, 'the new ReplicaSet');
  const newHash = server.store.list('replicasets', 'default').find((rs) => (rs.spec as Any).template.spec.containers[0].image.endsWith(':2'))!.metadata.labels!['pod-template-hash'];

  let engineDone = false;
  const progress: string[] = [];
  const engine = runDirective(handler, { verb: 'wait', args: ['rollout'], attrs: { namespace: 'default', name: 'web' }, env, timeoutMs: 60_000, onProgress: (p) => progress.push(p) }).then((r) => ((engineDone = true), r));
  const status = kubectl(t, kubeconfig).start(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  await watchOpened(server.store, DEPLOYMENTS, 2);

  // The kubelet's part, one new pod at a time; the controllers scale the old ReplicaSet down in between.
  for (let readied = 0; readied < 3; readied++) {
    await until(() => podsOf(server, newHash).some((p) => !isReady(p) && !p.metadata.deletionTimestamp) && settled(server), `new pod ${readied + 1}`);
    t.notOk(engineDone, `wait rollout is not done with ${readied} of 3 new pods ready`);
    t.notOk(status.done(), `kubectl rollout status is not done with ${readied} of 3 new pods ready`);
    if (readied === 1) {
      const during = deployment(server).status;
      t.ok(during.replicas > 3, `status.replicas (${during.replicas}) is above spec.replicas during the surge`);
    }
    const pod = podsOf(server, newHash).find((p) => !isReady(p) && !p.metadata.deletionTimestamp)!;
    server.store.setReady('pods', 'default', pod.metadata.name ?? '', true);
  }
  const [run, code] = await Promise.all([engine, status.exited]);
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.equal(code, 0, status.lines.join('\n'));
  t.match(status.lines.join('\n'), /1 old replicas are pending termination/, 'kubectl saw old replicas still counted after the last new pod was ready');
  t.ok(progress.some((p) => /waiting for web \(4\/3 available\)/.test(p)), `wait rollout saw the same state and kept waiting: ${progress.join(' | ')}`);
  t.equal(status.lines.at(-1), 'deployment "web" successfully rolled out');
  t.same(run.logs, ['deployment "web" successfully rolled out']);
  const final = deployment(server).status;
  t.match(final, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  t.equal(final.conditions.find((c: Any) => c.type === 'Progressing').reason, 'NewReplicaSetAvailable');
});

t.test('a passed progress deadline fails wait rollout at once, as it fails kubectl rollout status', async (t) => {
  const { server, kubeconfig, env } = await cluster(t);
  await rolledOut(server, { maxSurge: 1, maxUnavailable: 0 });
  server.store.patch('deployments', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'docker.io/library/web:broken' }] } } } });
  // A budget far beyond the test's own timeout (180 s): only a wait that fails on its own ends in time.
  const engine = runDirective(handler, { verb: 'wait', args: ['rollout'], attrs: { namespace: 'default', name: 'web' }, env, timeoutMs: 3_600_000 });
  const status = kubectl(t, kubeconfig).start(['rollout', 'status', 'deployment/web', '--timeout=1h']);
  await watchOpened(server.store, DEPLOYMENTS, 2);
  server.controllers!.exceedProgressDeadline('default', 'web'); // as if progressDeadlineSeconds had passed with the new pod never ready
  const [run, code] = await Promise.all([engine, status.exited]);
  t.notOk(run.outcome.ok);
  t.match(run.outcome.message, /^deployment "web" exceeded its progress deadline \(ReplicaSet "web-\w+" has timed out progressing\.\)/, 'the failure, not a timeout');
  t.match(run.outcome.message, /pod web-\w+-\w+: .*waiting: ContainerCreating/, 'with the pod that did not start');
  t.equal(code, 1);
  t.match(status.lines.join('\n'), /error: deployment "web" exceeded its progress deadline/);
});

const rollout = (status: V1Deployment['status'], spec = 3, generation = 2): V1Deployment => ({ metadata: { name: 'web', generation }, spec: { replicas: spec, selector: {}, template: {} }, status: { observedGeneration: 2, ...status } });

t.test("the rules of kubectl's rollout_status.go, state by state", async (t) => {
  const verdict = (d: V1Deployment) => {
    const r = deploymentReadiness(d);
    return r.failed ? `failed: ${r.failed}` : r.ready ? 'done' : r.reasons[0];
  };
  t.equal(verdict(rollout({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, 3, 3)), 'the controller has not seen the newest spec yet');
  t.equal(verdict(rollout({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 })), '1 of 3 replicas updated');
  t.equal(verdict(rollout({ replicas: 4, updatedReplicas: 3, availableReplicas: 4 })), '1 old replica(s) pending termination', 'old replicas still there: not done, whatever is available');
  t.equal(verdict(rollout({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 })), '2 of 3 updated replicas available');
  t.equal(verdict(rollout({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 })), 'done');
  t.equal(verdict(rollout({ replicas: 5, updatedReplicas: 5, availableReplicas: 5 })), 'done', 'available counted against updated, as kubectl does (a scale-down in progress)');
  const exceeded = rollout({ replicas: 4, updatedReplicas: 1, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' }] });
  t.equal(verdict(exceeded), 'failed: deployment "web" exceeded its progress deadline (ReplicaSet "web-abc" has timed out progressing.)');
  t.equal(verdict({ ...exceeded, metadata: { name: 'web', generation: 3 } }), 'the controller has not seen the newest spec yet', 'a deadline of an older generation does not count');
});
