// Pods as a real cluster shows them: native sidecars (restartable init containers, Istio's proxy
// with ENABLE_NATIVE_SIDECARS) counted the way kubectl counts them, and graceful deletion (a pod
// Terminating, still Ready, for its grace period) — for `wait pods`, the ingress fallback and the
// real kubectl.
import t from 'tap';
import { handler as waitHandler } from '../engine/directives/wait.ts';
import { handler as ingressHandler } from '../engine/directives/ingress.ts';
import { podReadiness } from '../engine/kube/readiness.ts';
import type { V1Pod } from '@kubernetes/client-node';
import { makeNode, makePod, makeService, startKubeApiServer } from './support/kube/index.ts';
import { CONTEXT, echoServer, exchange, runDirective, runTeardowns, watchOpened } from './support/kube-harness.ts';
import { kubectl } from './support/kubectl.ts';
import { tempDir } from './support/tmp.ts';

async function cluster(t: Parameters<typeof tempDir>[0] & Parameters<typeof kubectl>[0]) {
  const server = await startKubeApiServer({ podTerminationMs: 'manual' });
  t.teardown(() => server.close());
  const kubeconfig = server.kubeconfigPath(CONTEXT);
  return { server, kubeconfig, env: { KUBECONFIG: kubeconfig, HOME: tempDir(t), PATH: process.env.PATH ?? '' }, k: kubectl(t, kubeconfig) };
}

t.test('native sidecars count as kubectl counts them, and hold readiness back', async (t) => {
  const { server, env, k } = await cluster(t);
  server.store.create(makePod('default', 'reviews-v1-7d4f8b6c9-x2x9k', { labels: { app: 'reviews' }, containers: ['reviews'], sidecars: ['istio-proxy'], initContainers: ['istio-validation'] }));
  server.store.create(makePod('default', 'ratings-v1-5b4f9d8c7-abcde', { labels: { app: 'ratings' }, containers: ['ratings'], sidecars: [{ name: 'istio-proxy', ready: false }] }));
  const pods = (await k.run(['get', 'pods', '--no-headers'])).stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3));
  t.same(pods, [['ratings-v1-5b4f9d8c7-abcde', '1/2', 'Running'], ['reviews-v1-7d4f8b6c9-x2x9k', '2/2', 'Running']], "kubectl's READY column");
  const engine = server.store.list('pods', 'default').map((p) => podReadiness(p as unknown as V1Pod).summary);
  t.same(engine, ['1/2 ready, Running', '2/2 ready, Running'], 'the same counts in the engine');

  const ok = await runDirective(waitHandler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default', selector: 'app=reviews' }, env });
  t.ok(ok.outcome.ok, ok.outcome.message ?? 'ok');
  const stuck = await runDirective(waitHandler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default', selector: 'app=ratings' }, env, timeoutMs: 400 });
  t.notOk(stuck.outcome.ok);
  t.match(stuck.outcome.message, /ratings-v1-5b4f9d8c7-abcde \(1\/2 ready, Running\): Ready=False ContainersNotReady: containers with unready status: \[istio-proxy\]; sidecar istio-proxy: running, not ready/);
});

t.test('graceful deletion: a Terminating pod does not count for wait pods, and the ingress forward avoids it', async (t) => {
  const { server, env, k } = await cluster(t);
  const old = await echoServer(t, 'old:');
  const fresh = await echoServer(t, 'new:');
  server.store.create(makeNode('istio-runbook-control-plane'));
  server.store.create(makeService('istio-system', 'istio-ingressgateway', { type: 'NodePort', ports: [{ name: 'http2', port: 80, targetPort: 8080 }], selector: { istio: 'ingressgateway' } }));
  for (const [name, echo] of [['istio-ingressgateway-aaaaa', old], ['istio-ingressgateway-bbbbb', fresh]] as const) {
    server.store.create(makePod('istio-system', name, { labels: { istio: 'ingressgateway' } }));
    server.store.setPortForwardTarget('istio-system', name, 8080, { host: '127.0.0.1', port: echo.port });
  }
  // kubectl delete asks for graceful deletion: the pod stays, Terminating, until its containers stop.
  const deleted = await k.run(['delete', 'pod', '-n', 'istio-system', 'istio-ingressgateway-aaaaa', '--wait=false']);
  t.equal(deleted.stdout.trim(), 'pod "istio-ingressgateway-aaaaa" deleted');
  const terminating = server.store.get('pods', 'istio-system', 'istio-ingressgateway-aaaaa');
  t.ok(terminating?.metadata.deletionTimestamp, 'still there');
  t.equal(terminating?.metadata.deletionGracePeriodSeconds, 30);
  t.match((await k.run(['get', 'pods', '-n', 'istio-system', '--no-headers'])).stdout, /istio-ingressgateway-aaaaa\s+1\/1\s+Terminating/);

  const teardowns: (() => Promise<void> | void)[] = [];
  t.teardown(() => runTeardowns(teardowns));
  const ingress = await runDirective(ingressHandler, { verb: 'ingress', env, teardowns });
  t.ok(ingress.outcome.ok, ingress.outcome.message ?? 'ok');
  t.match(ingress.logs.join('\n'), /port-forward to pod istio-ingressgateway-bbbbb/, 'the forward went to the pod that is not terminating');
  t.equal(await exchange(Number(ingress.exported.INGRESS_PORT), 'x'), 'new:x');

  const pods = await runDirective(waitHandler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'istio-system' }, env });
  t.same(pods.logs, ['pod/istio-ingressgateway-bbbbb condition met'], 'the Terminating pod is not waited for');

  // Its containers stop: the kubelet removes it, and kubectl's wait for the deletion ends.
  const gone = k.run(['wait', '--for=delete', 'pod/istio-ingressgateway-aaaaa', '-n', 'istio-system', '--timeout=20s']);
  await watchOpened(server.store, '/api/v1/namespaces/istio-system/pods', 2);
  server.store.runtime.finishTermination('istio-system', 'istio-ingressgateway-aaaaa');
  t.equal((await gone).code, 0);
  t.equal(server.store.get('pods', 'istio-system', 'istio-ingressgateway-aaaaa'), undefined);
});
