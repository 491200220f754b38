// The `port-forward` directive against the Kubernetes API test server: bytes both ways through
// client-node's PortForward, named target ports, waiting for a pod, moving to a new pod when the
// old one goes away, and nothing left listening after the run.
import { createServer, type AddressInfo } from 'node:net';
import { RunObjects } from '../engine/directives/run-objects.ts';
import t from 'tap';
import { handler } from '../engine/directives/port-forward.ts';
import { makePod, makeService, startKubeApiServer, type KubeObject } from './support/kube/index.ts';
import { tempDir } from './support/tmp.ts';
import { CONTEXT, echoServer, exchange, stillForwards, kubeFixture, runDirective, runTeardowns, freePort, until, watchOpened } from './support/kube-harness.ts';

function withNamedPort(pod: KubeObject, name: string, containerPort: number): KubeObject {
  const spec = pod.spec as { containers: { ports?: unknown[] }[] };
  spec.containers[0].ports = [{ name, containerPort, protocol: 'TCP' }];
  return pod;
}

t.test('forwards a service port to its pod, both ways, until the run ends', async (t) => {
  const { server, env } = await kubeFixture(t);
  const echo = await echoServer(t, 'kiali:');
  server.store.create(makeService('istio-system', 'kiali', { ports: [{ name: 'http', port: 20001 }], selector: { app: 'kiali' } }));
  server.store.create(makePod('istio-system', 'kiali-5d8f7b9c6-abcde', { labels: { app: 'kiali' } }));
  server.store.setPortForwardTarget('istio-system', 'kiali-5d8f7b9c6-abcde', 20001, { host: '127.0.0.1', port: echo.port });
  const local = await freePort();
  const teardowns: (() => Promise<void> | void)[] = [];
  const run = await runDirective(handler, { verb: 'port-forward', attrs: { service: 'kiali', namespace: 'istio-system', port: `${local}:20001` }, env, teardowns });
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.equal(run.logs.at(-1), `Forwarding from 127.0.0.1:${local} -> 20001 (service/kiali in istio-system, pod kiali-5d8f7b9c6-abcde; until the run ends)`);
  t.equal(await exchange(local, 'GET /kiali'), 'kiali:GET /kiali');
  t.equal(await exchange(local, 'again'), 'kiali:again', 'every connection gets its own tunnel');
  const upgrades = server.store.requests.filter((r) => r.path.endsWith('/portforward'));
  t.equal(upgrades.length, 2);
  t.same(upgrades[0].query, { ports: '20001' });

  t.equal(teardowns.length, 1, 'registered for the end of the run');
  await runTeardowns(teardowns);
  t.notOk(await stillForwards(local, 'kiali:'), 'nothing listens after the run');
});

t.test('LOCAL:REMOTE maps a service port to a named container port', async (t) => {
  const { server, env } = await kubeFixture(t);
  const echo = await echoServer(t, 'prometheus:');
  server.store.create(makeService('istio-system', 'prometheus', { ports: [{ name: 'http', port: 9090, targetPort: 'http-web' }], selector: { app: 'prometheus' } }));
  server.store.create(withNamedPort(makePod('istio-system', 'prometheus-7f8d9-xyz12', { labels: { app: 'prometheus' } }), 'http-web', 9091));
  server.store.setPortForwardTarget('istio-system', 'prometheus-7f8d9-xyz12', 9091, { host: '127.0.0.1', port: echo.port });
  const local = await freePort();
  const teardowns: (() => Promise<void> | void)[] = [];
  const run = await runDirective(handler, { verb: 'port-forward', attrs: { service: 'prometheus', namespace: 'istio-system', port: `${local}:9090` }, env, teardowns });
  t.teardown(() => runTeardowns(teardowns));
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.equal(await exchange(local, 'up'), 'prometheus:up');
  t.ok(server.store.requests.some((r) => r.path.endsWith('/portforward') && r.query.ports === '9091'), 'forwarded to the named port 9091');
});

t.test('waits for a pod to be ready, and moves away from it once it is Terminating (still Ready) to another pod', async (t) => {
  const server = await startKubeApiServer({ podTerminationMs: 'manual' });
  t.teardown(() => server.close());
  const env = { KUBECONFIG: server.kubeconfigPath(CONTEXT), HOME: tempDir(t), PATH: process.env.PATH ?? '' };
  const first = await echoServer(t, 'first:');
  const second = await echoServer(t, 'second:');
  server.store.create(makeService('default', 'productpage', { ports: [{ port: 9080 }] }));
  server.store.create(makePod('default', 'productpage-v1-aaaaa', { labels: { app: 'productpage' }, ready: false }));
  server.store.setPortForwardTarget('default', 'productpage-v1-aaaaa', 9080, { host: '127.0.0.1', port: first.port });
  server.store.setPortForwardTarget('default', 'productpage-v1-bbbbb', 9080, { host: '127.0.0.1', port: second.port });
  const local = await freePort();
  const teardowns: (() => Promise<void> | void)[] = [];
  t.teardown(() => runTeardowns(teardowns));
  const starting = runDirective(handler, { verb: 'port-forward', attrs: { service: 'productpage', namespace: 'default', port: `${local}:9080` }, env, teardowns });
  await watchOpened(server.store, '/api/v1/namespaces/default/pods');
  server.store.setReady('pods', 'default', 'productpage-v1-aaaaa', true);
  const run = await starting;
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.match(run.logs.at(-1), /pod productpage-v1-aaaaa; until the run ends/, 'it waited for the pod to be ready');
  t.equal(await exchange(local, 'a'), 'first:a');

  server.store.create(makePod('default', 'productpage-v1-bbbbb', { labels: { app: 'productpage' } }));
  server.store.beginDeletion('pods', 'default', 'productpage-v1-aaaaa'); // what DELETE does: Terminating for the grace period
  await until(() => run.logs.includes('pod productpage-v1-aaaaa is gone or not ready; forwarding to pod productpage-v1-bbbbb'), 'the forward to move');
  const old = server.store.get('pods', 'default', 'productpage-v1-aaaaa');
  t.ok(old?.metadata.deletionTimestamp, 'the old pod is still there, Terminating');
  t.ok((old?.status as { conditions: Array<{ type: string; status: string }> }).conditions.some((c) => c.type === 'Ready' && c.status === 'True'), 'and still Ready');
  t.equal(await exchange(local, 'b'), 'second:b', 'new connections go to the pod that is not terminating');
  server.store.runtime.finishTermination('default', 'productpage-v1-aaaaa');
  t.equal(server.store.get('pods', 'default', 'productpage-v1-aaaaa'), undefined, 'gone once its containers stopped');
  t.equal(await exchange(local, 'c'), 'second:c');
});

t.test('the same forward asked for again is reused', async (t) => {
  const { server, env } = await kubeFixture(t);
  const echo = await echoServer(t);
  server.store.create(makePod('default', 'curl-1', { labels: { app: 'curl' } }));
  server.store.setPortForwardTarget('default', 'curl-1', 80, { host: '127.0.0.1', port: echo.port });
  const local = await freePort();
  const teardowns: (() => Promise<void> | void)[] = [];
  t.teardown(() => runTeardowns(teardowns));
  const shared = new RunObjects();
  const attrs = { pod: 'curl-1', namespace: 'default', port: `${local}:80` };
  t.ok((await runDirective(handler, { verb: 'port-forward', attrs, env, teardowns, shared })).outcome.ok);
  const again = await runDirective(handler, { verb: 'port-forward', attrs, env, teardowns, shared });
  t.ok(again.outcome.ok);
  t.match(again.logs[0], /already running/);
  t.equal(teardowns.length, 1);
  t.equal(await exchange(local, 'x'), 'echo:x');
});

t.test('mistakes are explained', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makeService('istio-system', 'kiali', { ports: [{ name: 'http', port: 20001 }, { name: 'metrics', port: 9090 }] }));
  const missingPort = await runDirective(handler, { verb: 'port-forward', attrs: { service: 'kiali', namespace: 'istio-system', port: '20001:80' }, env });
  t.equal(missingPort.outcome.message, 'service kiali in namespace istio-system has no port 80; its ports: 20001 (http), 9090 (metrics)');
  const missingService = await runDirective(handler, { verb: 'port-forward', attrs: { service: 'grafana', namespace: 'istio-system', port: '3000' }, env });
  t.match(missingService.outcome.message, /^cannot read service grafana in namespace istio-system: services "grafana" not found \(HTTP 404\)$/);
  const noPod = await runDirective(handler, { verb: 'port-forward', attrs: { service: 'kiali', namespace: 'istio-system', port: '20001' }, env, timeoutMs: 300 });
  t.equal(noPod.outcome.message, 'service/kiali in namespace istio-system: no Running and Ready pod matching app=kiali in namespace istio-system to forward to');

  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  t.teardown(() => busy.close());
  server.store.create(makePod('istio-system', 'kiali-1', { labels: { app: 'kiali' } }));
  const port = (busy.address() as AddressInfo).port;
  const inUse = await runDirective(handler, { verb: 'port-forward', attrs: { service: 'kiali', namespace: 'istio-system', port: `${port}:20001` }, env });
  t.match(inUse.outcome.message, new RegExp(`127.0.0.1:${port} is already in use`));
});

t.test('an error from the pod side closes the connection and is reported', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makePod('default', 'web-1', { labels: { app: 'web' } })); // no target set: the pod refuses
  const local = await freePort();
  const teardowns: (() => Promise<void> | void)[] = [];
  t.teardown(() => runTeardowns(teardowns));
  const run = await runDirective(handler, { verb: 'port-forward', attrs: { pod: 'web-1', namespace: 'default', port: String(local) }, env, teardowns });
  t.ok(run.outcome.ok);
  await t.rejects(exchange(local, 'hello'), /closed the connection without an answer/);
  await until(() => run.logs.some((l) => l.startsWith('port-forward to pod web-1')), 'the error to be reported');
  t.match(run.logs.join('\n'), /port-forward to pod web-1 port \d+: error forwarding port \d+ to pod web-1/);
});
