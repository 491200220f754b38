// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Tests of that server (test/support/kube). Each check talks to it through a real client: client-node
// (CoreV1Api, AppsV1Api, Watch, ListWatch, PortForward), a bare WebSocket, or the kubectl binary.

import * as k8s from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import {
  makeDeployment, makeEvent, makeNode, makePod, makeService, startKubeApiServer,
} from './support/kube/index.ts';
import { openWebSocket } from './support/kube/websocket.ts';
import { until } from './support/kube-harness.ts';

const run = promisify(execFile);
const CONTEXT = 'kind-istio-runbook';

async function connect(t: Test) {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath(CONTEXT));
  return { server, kc, core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api) };
}

/** The rejection of an API call, with its Status body parsed. */
async function apiFailure(call: Promise<unknown>): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const { code, body } = error as k8s.ApiException<string>;
    return { code, status: JSON.parse(body) };
  }
  throw new Error('expected the API call to fail');
}

/** Collects watch events and resolves once `count` have arrived (or fails after 5 s). */
function collector<T>() {
  const items: T[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      for (const w of waiters.filter((w) => items.length >= w.count)) w.resolve();
    },
    async waitFor(count: number): Promise<T[]> {
      if (items.length < count) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${items.length} of ${count} arrived`)), 5000);
          waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
        });
      }
      return items.slice(0, count);
    },
  };
}


t.test('client-node lists, reads and creates through CoreV1Api and AppsV1Api', async (t) => {
  const { server, kc, core, apps } = await connect(t);
  t.equal(kc.getCurrentContext(), CONTEXT);
  server.store.setVersion({ gitVersion: 'v1.32.5' });
  const version = await kc.makeApiClient(k8s.VersionApi).getCode();
  t.match(version, { gitVersion: 'v1.32.5', major: '1', minor: '32' });

  const namespace = await core.createNamespace({ body: { metadata: { name: 'bookinfo' } } });
  t.equal(namespace.status?.phase, 'Active');
  const created = await core.createNamespacedPod({ namespace: 'bookinfo', body: makePod('bookinfo', 'productpage-v1-abc') as k8s.V1Pod });
  t.equal(created.kind, 'Pod');
  t.equal(created.apiVersion, 'v1');
  t.ok(Number(created.metadata?.resourceVersion) > Number(namespace.metadata?.resourceVersion), 'resourceVersion increases');

  const pods = await core.listNamespacedPod({ namespace: 'bookinfo' });
  t.equal(pods.kind, 'PodList');
  t.same(pods.items.map((p) => p.metadata?.name), ['productpage-v1-abc']);
  t.equal(pods.metadata?.resourceVersion, server.store.resourceVersion, 'list carries the current resourceVersion');
  const pod = await core.readNamespacedPod({ namespace: 'bookinfo', name: 'productpage-v1-abc' });
  t.equal(pod.status?.phase, 'Running');
  t.equal(pod.status?.containerStatuses?.[0].ready, true);

  server.store.create(makeDeployment('bookinfo', 'reviews-v1', { replicas: 3, available: 1 }));
  const deployment = await apps.readNamespacedDeployment({ namespace: 'bookinfo', name: 'reviews-v1' });
  t.equal(deployment.kind, 'Deployment');
  t.equal(deployment.apiVersion, 'apps/v1');
  t.equal(deployment.status?.availableReplicas, 1);
  t.equal(deployment.status?.conditions?.find((c) => c.type === 'Available')?.status, 'False');
  server.store.setReady('deployments', 'bookinfo', 'reviews-v1', true);
  const ready = await apps.readNamespacedDeployment({ namespace: 'bookinfo', name: 'reviews-v1' });
  t.equal(ready.status?.availableReplicas, 3);
  t.equal(ready.status?.observedGeneration, ready.metadata?.generation);

  server.store.create(makeService('istio-system', 'istio-ingressgateway', {
    type: 'LoadBalancer', ingress: [{ hostname: 'a1b2.elb.amazonaws.com' }],
    ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443 }],
  }));
  const gateway = await core.readNamespacedService({ namespace: 'istio-system', name: 'istio-ingressgateway' });
  t.equal(gateway.status?.loadBalancer?.ingress?.[0].hostname, 'a1b2.elb.amazonaws.com');
  t.same(gateway.spec?.ports?.map((p) => [p.name, p.port, p.targetPort]), [['http2', 80, 8080], ['https', 443, 443]]);

  server.store.create(makeNode('kind-control-plane', { ready: false }));
  const nodes = await core.listNode();
  t.equal(nodes.items[0].status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  const all = await core.listPodForAllNamespaces();
  t.equal(all.items.length, 1, 'all-namespaces path lists pods');

  const missing = await apiFailure(core.readNamespacedPod({ namespace: 'bookinfo', name: 'nope' }));
  t.equal(missing.code, 404);
  t.same(missing.status, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found',
    reason: 'NotFound', details: { name: 'nope', kind: 'pods' }, code: 404,
  });
  const missingDeployment = await apiFailure(apps.readNamespacedDeployment({ namespace: 'bookinfo', name: 'nope' }));
  t.equal(missingDeployment.status.message, 'deployments.apps "nope" not found');
  const duplicate = await apiFailure(core.createNamespacedPod({ namespace: 'bookinfo', body: makePod('bookinfo', 'productpage-v1-abc') as k8s.V1Pod }));
  t.equal(duplicate.code, 409);
  t.equal(duplicate.status.reason, 'AlreadyExists');
  const noNamespace = await apiFailure(core.createNamespacedPod({ namespace: 'ghost', body: makePod('ghost', 'x') as k8s.V1Pod }));
  t.equal(noNamespace.status.message, 'namespaces "ghost" not found');
  t.ok(server.store.requests.every((r) => r.authorization === 'Bearer kube-test-server-token'), 'token sent, accepted');
});

t.test('updates: merge patch, JSON patch, optimistic locking, namespace termination', async (t) => {
  const { server, core, apps } = await connect(t);
  server.store.create(makeDeployment('demo', 'web', { replicas: 1 }));
  const merged = await apps.patchNamespacedDeployment(
    { namespace: 'demo', name: 'web', body: { spec: { replicas: 2 } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  t.equal(merged.spec?.replicas, 2);
  t.equal(merged.metadata?.generation, 2, 'a spec change bumps generation');
  t.equal(merged.status?.observedGeneration, 1, 'status only moves through the store (no controller)');
  const jsonPatched = await apps.patchNamespacedDeployment({
    namespace: 'demo', name: 'web', body: [{ op: 'replace', path: '/metadata/labels/app', value: 'web2' }],
  });
  t.equal(jsonPatched.metadata?.labels?.app, 'web2');
  const stale = { ...merged, metadata: { ...merged.metadata, resourceVersion: '1' } };
  const conflict = await apiFailure(apps.replaceNamespacedDeployment({ namespace: 'demo', name: 'web', body: stale }));
  t.equal(conflict.code, 409);
  t.equal(conflict.status.reason, 'Conflict');

  const terminating = await core.deleteNamespace({ name: 'demo' }) as k8s.V1Namespace;
  t.equal(terminating.status?.phase, 'Terminating');
  await until(() => server.store.get('namespaces', '', 'demo') === undefined, 'the namespace to go');
  t.pass('namespace gone after termination');
  t.equal(server.store.list('deployments').length, 0, 'its contents went with it');
});

t.test('label and field selectors on lists', async (t) => {
  const { server, core } = await connect(t);
  const { store } = server;
  store.create(makePod('demo', 'web-1', { labels: { app: 'web', tier: 'front', canary: 'true' } }));
  store.create(makePod('demo', 'web-2', { labels: { app: 'web', tier: 'back' } }));
  store.create(makePod('demo', 'db-1', { labels: { app: 'db' } }));
  store.create(makeEvent('demo', { involvedObject: { kind: 'Pod', name: 'web-1' }, reason: 'Pulled', message: 'ok' }));
  store.create(makeEvent('demo', { involvedObject: { kind: 'Pod', name: 'db-1' }, reason: 'BackOff', message: 'Back-off restarting failed container', type: 'Warning' }));
  const names = async (labelSelector?: string, fieldSelector?: string) =>
    (await core.listNamespacedPod({ namespace: 'demo', labelSelector, fieldSelector })).items.map((p) => p.metadata?.name);
  t.same(await names('app=web'), ['web-1', 'web-2']);
  t.same(await names('app!=web'), ['db-1']);
  t.same(await names('tier in (front, back)'), ['web-1', 'web-2']);
  t.same(await names('canary'), ['web-1']);
  t.same(await names('app=web,!canary'), ['web-2']);
  t.same(await names(undefined, 'metadata.name=db-1'), ['db-1']);
  const events = await core.listNamespacedEvent({ namespace: 'demo', fieldSelector: 'involvedObject.name=db-1,type=Warning' });
  t.same(events.items.map((e) => e.reason), ['BackOff']);
  const unsupported = await apiFailure(core.listNamespacedPod({ namespace: 'demo', fieldSelector: 'spec.bogus=1' }));
  t.equal(unsupported.code, 400);
  t.equal(unsupported.status.message, 'field label not supported: spec.bogus');
  const page = await core.listNamespacedPod({ namespace: 'demo', limit: 2 });
  t.equal(page.items.length, 2);
  const rest = await core.listNamespacedPod({ namespace: 'demo', limit: 2, _continue: page.metadata?._continue });
  t.same(rest.items.map((p) => p.metadata?.name), ['web-2'], 'limit/continue pages through the list');
});

t.test('Watch streams ADDED, MODIFIED, DELETED after a delayed change; bookmarks; timeoutSeconds', async (t) => {
  const { server, kc, core } = await connect(t);
  const list = await core.listNamespacedPod({ namespace: 'demo' });
  const events = collector<{ type: string; name?: string; ready?: boolean }>();
  const done = collector<unknown>();
  const controller = await new k8s.Watch(kc).watch('/api/v1/namespaces/demo/pods',
    { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
    (type, object: k8s.V1Pod) => events.push({
      type, name: object.metadata?.name, ready: object.status?.containerStatuses?.[0]?.ready,
    }),
    (error) => done.push(error));
  // The watch is open once watch() resolved: every change from now on reaches it, in order.
  server.store.create(makePod('demo', 'web-1', { ready: false }));
  server.store.setReady('pods', 'demo', 'web-1', true);
  server.store.emitBookmarks();
  server.store.create(makePod('demo', 'web-2'));
  server.store.delete('pods', 'demo', 'web-2');
  t.same(await events.waitFor(5), [
    { type: 'ADDED', name: 'web-1', ready: false },
    { type: 'MODIFIED', name: 'web-1', ready: true },
    { type: 'BOOKMARK', name: undefined, ready: undefined },
    { type: 'ADDED', name: 'web-2', ready: true },
    { type: 'DELETED', name: 'web-2', ready: true },
  ]);
  controller.abort();
  await done.waitFor(1);
  await until(() => server.store.openWatches() === 0, 'the server to see the watch end');

  // timeoutSeconds: the server ends the stream cleanly and the client's done callback gets no error.
  const timedOut = collector<unknown>();
  await new k8s.Watch(kc).watch('/api/v1/namespaces/demo/pods', { timeoutSeconds: 1 }, () => {}, (error) => timedOut.push(error));
  t.equal(server.store.openWatches(), 1, 'open after it started');
  t.same(await timedOut.waitFor(1), [null]);
  t.equal(server.store.openWatches(), 0, 'closed by the server at timeoutSeconds');

  // A pod relabelled out of a label-selected watch leaves it as DELETED, as on a real server.
  const selected = collector<string>();
  const stop = await new k8s.Watch(kc).watch('/api/v1/namespaces/demo/pods', { labelSelector: 'app=web-1' },
    (type) => selected.push(type), () => {});
  t.same(await selected.waitFor(1), ['ADDED'], 'no resourceVersion: current state as ADDED');
  server.store.patch('pods', 'demo', 'web-1', { metadata: { labels: { app: 'other' } } });
  t.same(await selected.waitFor(2), ['ADDED', 'DELETED']);
  stop.abort();
});

t.test('expired watch history: 410 for a hand-written list+watch and for ListWatch', async (t) => {
  const { server, kc, core } = await connect(t);
  const { store } = server;
  store.create(makePod('demo', 'web-1'));
  const oldVersion = (await core.listNamespacedPod({ namespace: 'demo' })).metadata?.resourceVersion;
  store.create(makePod('demo', 'web-2'));
  store.expireWatchHistory();

  const events = collector<{ type: string; object: Record<string, unknown> }>();
  const ended = collector<unknown>();
  await new k8s.Watch(kc).watch('/api/v1/namespaces/demo/pods', { resourceVersion: oldVersion },
    (type, object) => events.push({ type, object }), (error) => ended.push(error));
  const [expiredEvent] = await events.waitFor(1);
  t.equal(expiredEvent.type, 'ERROR');
  t.match(expiredEvent.object, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired' });
  t.match(expiredEvent.object.message, /^too old resource version: \d+ \(\d+\)$/);
  t.same(await ended.waitFor(1), [null], 'the server ends the stream after the 410');

  const relisted = await core.listNamespacedPod({ namespace: 'demo' });
  const fresh = collector<string>();
  const watch = await new k8s.Watch(kc).watch('/api/v1/namespaces/demo/pods', { resourceVersion: relisted.metadata?.resourceVersion },
    (type, object: k8s.V1Pod) => fresh.push(`${type} ${object.metadata?.name}`), () => {});
  store.create(makePod('demo', 'web-3'));
  t.same(await fresh.waitFor(1), ['ADDED web-3'], 'a relisted resourceVersion watches fine');
  watch.abort();

  // ListWatch: its open watch is dropped, it reconnects from its old version, meets the 410, relists.
  const informer = k8s.makeInformer(kc, '/api/v1/namespaces/demo/pods', () => core.listNamespacedPod({ namespace: 'demo' }));
  const added = collector<string>();
  informer.on('add', (pod) => added.push(pod.metadata?.name ?? ''));
  informer.on('error', () => {});
  await informer.start();
  t.same((await added.waitFor(3)).sort(), ['web-1', 'web-2', 'web-3']);
  store.clearRequests();
  store.create(makePod('demo', 'web-4'));
  store.expireWatchHistory();
  store.create(makePod('demo', 'web-5'));
  await added.waitFor(5);
  t.same(added.items.slice(3).sort(), ['web-4', 'web-5'], 'informer recovers through a relist');
  const lists = store.requests.filter((r) => r.path === '/api/v1/namespaces/demo/pods' && !r.query.watch);
  t.equal(lists.length, 1, 'exactly one relist after the 410');
  await informer.stop();
});

t.test('pod logs: text, tailLines, container checks', async (t) => {
  const { server, core } = await connect(t);
  server.store.create(makePod('demo', 'web-1'));
  server.store.create(makePod('demo', 'two', { containers: ['app', 'istio-proxy'] }));
  server.store.create(makePod('demo', 'stuck', { ready: false, containerStatuses: [{ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } }] }));
  server.store.setPodLog('demo', 'web-1', 'one\ntwo\nthree\n');
  server.store.setPodLog('demo', 'two', 'envoy ready\n', { container: 'istio-proxy' });
  t.equal(await core.readNamespacedPodLog({ namespace: 'demo', name: 'web-1' }), 'one\ntwo\nthree\n');
  t.equal(await core.readNamespacedPodLog({ namespace: 'demo', name: 'web-1', tailLines: 2 }), 'two\nthree\n');
  t.equal(await core.readNamespacedPodLog({ namespace: 'demo', name: 'two', container: 'istio-proxy' }), 'envoy ready\n');
  const which = await apiFailure(core.readNamespacedPodLog({ namespace: 'demo', name: 'two' }));
  t.equal(which.status.message, 'a container name must be specified for pod two, choose one of: [app istio-proxy]');
  const waiting = await apiFailure(core.readNamespacedPodLog({ namespace: 'demo', name: 'stuck' }));
  t.equal(waiting.code, 400);
  t.equal(waiting.status.message, 'container "app" in pod "stuck" is waiting to start: trying and failing to pull image');
});

t.test('port-forward carries bytes both ways through client-node PortForward', async (t) => {
  const { server, kc } = await connect(t);
  const echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  t.teardown(() => new Promise((resolve) => echo.close(resolve)));
  const echoPort = (echo.address() as AddressInfo).port;
  server.store.create(makePod('demo', 'httpbin'));
  server.store.setPortForwardTarget('demo', 'httpbin', 8000, { host: '127.0.0.1', port: echoPort });

  const output = new PassThrough();
  const errors = new PassThrough();
  const input = new PassThrough();
  const socket = await new k8s.PortForward(kc).portForward('demo', 'httpbin', [8000], output, errors, input) as unknown as { protocol: string };
  t.equal(socket.protocol, 'v4.channel.k8s.io', 'the v4 channel protocol is negotiated');
  input.write('GET /status/418 HTTP/1.1\r\n');
  const [echoed] = await once(output, 'data');
  t.equal(echoed.toString(), 'GET /status/418 HTTP/1.1\r\n');
  input.write(Buffer.from([0, 1, 2, 255]));
  t.same([...(await once(output, 'data'))[0]], [0, 1, 2, 255], 'binary bytes pass unchanged');
  input.end();

  // Frame by frame: port number (little-endian) first on the data and the error channel; errors on channel 1.
  const raw = openWebSocket(`ws://127.0.0.1:${server.port}/api/v1/namespaces/demo/pods/httpbin/portforward?ports=9999`,
    ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
  const frames: Buffer[] = [];
  raw.on('message', (data) => frames.push(data));
  const code = await new Promise<number>((resolve) => raw.on('close', resolve));
  t.equal(code, 1000);
  t.same([...frames[0]], [0, 0x0f, 0x27], 'data channel starts with port 9999 as 2 bytes little-endian');
  t.same([...frames[1]], [1, 0x0f, 0x27], 'error channel starts with the port too');
  t.equal(frames[2][0], 1);
  t.match(frames[2].subarray(1).toString(), /^error forwarding port 9999 to pod httpbin, uid [0-9a-f-]+: .*connection refused/);

  await t.rejects(new k8s.PortForward(kc).portForward('demo', 'ghost', [80], output, errors, new PassThrough()),
    'a missing pod fails the upgrade');
});

t.test('the real kubectl binary works against the kubeconfig', async (t) => {
  const { server } = await connect(t);
  server.store.create(makePod('demo', 'web-1'));
  server.store.create(makePod('demo', 'web-2', { ready: false, containerStatuses: [{ waiting: { reason: 'ImagePullBackOff' } }] }));
  server.store.create(makeService('demo', 'gateway', { type: 'LoadBalancer', ingress: [{ ip: '172.18.255.200' }], ports: [{ name: 'http2', port: 80, nodePort: 31380 }] }));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  t.teardown(() => rmSync(cacheDir, { recursive: true, force: true }));
  const kubectl = async (...args: string[]) =>
    (await run('kubectl', [...args, '--cache-dir', cacheDir], { env: { ...process.env, KUBECONFIG: server.kubeconfigPath(CONTEXT) } })).stdout;

  t.equal((await kubectl('config', 'current-context')).trim(), CONTEXT);
  const pods = (await kubectl('get', 'pods', '-n', 'demo')).trim().split('\n').map((line) => line.split(/\s+/));
  t.same(pods.map((cells) => cells.slice(0, 4)), [
    ['NAME', 'READY', 'STATUS', 'RESTARTS'],
    ['web-1', '1/1', 'Running', '0'],
    ['web-2', '0/1', 'ImagePullBackOff', '0'],
  ]);
  const services = (await kubectl('get', 'svc', '-n', 'demo', '--no-headers')).trim().split(/\s+/);
  t.same(services.slice(0, 5), ['gateway', 'LoadBalancer', services[2], '172.18.255.200', '80:31380/TCP']);
  const json = JSON.parse(await kubectl('get', 'pods', '-n', 'demo', '-o', 'json'));
  t.same(json.items.map((p: k8s.V1Pod) => p.metadata?.name), ['web-1', 'web-2']);
  t.match(await kubectl('version'), /Server Version: v1\.33\.1/);

  // kubectl's own waiting logic (watches by field selector, rollout arithmetic) agrees with the factories.
  server.store.create(makeDeployment('demo', 'reviews', { replicas: 2, available: 1 }));
  const watching = (resource: string) => server.store.requests.some((r) => r.path.endsWith(`/${resource}`) && r.query.watch);
  const becomeReadyOnceWatched = async () => {
    await until(() => watching('pods') && watching('deployments'), 'kubectl to watch');
    server.store.setReady('pods', 'demo', 'web-2', true);
    server.store.setReady('deployments', 'demo', 'reviews', true);
  };
  const [waited, rolledOut] = await Promise.all([
    kubectl('wait', '--for=condition=Ready', 'pod/web-2', '-n', 'demo', '--timeout=10s'),
    kubectl('rollout', 'status', 'deployment/reviews', '-n', 'demo', '--timeout=10s'),
    becomeReadyOnceWatched(),
  ]);
  t.equal(waited.trim(), 'pod/web-2 condition met');
  t.match(rolledOut, /1 of 2 updated replicas are available[\s\S]*deployment "reviews" successfully rolled out/);
});
