// The `wait` directive against the Kubernetes API test server, through the real client-node:
// readiness arriving later, watch expiry and re-list, nothing there yet, and timeouts that say why.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { handler } from '../engine/directives/wait.ts';
import { progressLine } from '../engine/kube/waiting.ts';
import { makeDeployment, makePod } from './support/kube/index.ts';
import { kubeFixture, runDirective, watchOpened } from './support/kube-harness.ts';

const listRequests = (requests: { path: string; query: Record<string, string> }[], path: string) =>
  requests.filter((r) => r.path === path && r.query.watch === undefined).length;

t.test('wait rollout ends when the last Deployment becomes available, and shows what it waits for', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makeDeployment('default', 'productpage-v1', { replicas: 1 }));
  server.store.create(makeDeployment('default', 'reviews-v2', { replicas: 1, available: 0 }));
  const waiting = runDirective(handler, { verb: 'wait', args: ['rollout'], attrs: { namespace: 'default' }, env });
  await watchOpened(server.store, '/apis/apps/v1/namespaces/default/deployments');
  server.store.setReady('deployments', 'default', 'reviews-v2', true);
  const run = await waiting;
  t.ok(run.outcome.ok, run.outcome.message ?? "ok");
  t.equal(run.progress[0], '1/2 ready; waiting for reviews-v2 (0/1 available)');
  t.same(run.logs, ['deployment "productpage-v1" successfully rolled out', 'deployment "reviews-v2" successfully rolled out']);
  t.equal(listRequests(server.store.requests, '/apis/apps/v1/namespaces/default/deployments'), 1, 'one list, then a watch');
  t.ok(server.store.requests.some((r) => r.query.watch === 'true'), 'it watched');
});

t.test('a Deployment whose new spec the controller has not seen is not rolled out', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makeDeployment('demo', 'httpbin'));
  server.store.patch('deployments', 'demo', 'httpbin', { spec: { template: { metadata: { annotations: { restartedAt: 'now' } } } } });
  const waiting = runDirective(handler, { verb: 'wait', args: ['rollout'], attrs: { namespace: 'demo', name: 'httpbin' }, env });
  await watchOpened(server.store, '/apis/apps/v1/namespaces/demo/deployments');
  server.store.setReady('deployments', 'demo', 'httpbin', true);
  const run = await waiting;
  t.ok(run.outcome.ok);
  t.match(run.progress[0], /^0\/1 ready; waiting for httpbin/);
});

t.test('wait rollout name= looks at that Deployment only', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makeDeployment('default', 'httpbin'));
  server.store.create(makeDeployment('default', 'broken', { available: 0 }));
  const run = await runDirective(handler, { verb: 'wait', args: ['rollout'], attrs: { namespace: 'default', name: 'httpbin' }, env });
  t.ok(run.outcome.ok);
  t.same(run.logs, ['deployment "httpbin" successfully rolled out']);
});

t.test('wait pods follows a selector through a watch that expires (410) and lists again', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makePod('default', 'productpage-v1-abc12', { labels: { app: 'productpage' }, ready: false }));
  server.store.create(makePod('default', 'reviews-v1-xyz98', { labels: { app: 'reviews' }, ready: false }));
  const waiting = runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default', selector: 'app=productpage' }, env });
  await watchOpened(server.store, '/api/v1/namespaces/default/pods');
  server.store.expireWatchHistory();
  // Its watch is dropped; it watches again from its resourceVersion, meets the 410, lists, and watches anew.
  await watchOpened(server.store, '/api/v1/namespaces/default/pods', 3);
  server.store.setReady('pods', 'default', 'productpage-v1-abc12', true);
  const run = await waiting;
  t.ok(run.outcome.ok, run.outcome.message ?? "ok");
  t.match(run.logs.join('\n'), /watch expired at resourceVersion \d+ \(410\); listing again/);
  t.equal(run.logs.at(-1), 'pod/productpage-v1-abc12 condition met');
  t.equal(listRequests(server.store.requests, '/api/v1/namespaces/default/pods'), 2, 'listed again after the 410');
  t.ok(server.store.requests.filter((r) => r.query.watch === 'true').every((r) => r.query.labelSelector === 'app=productpage'));
});

t.test('a 410 in the middle of an open watch stream: it lists again and goes on', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makePod('default', 'productpage-v1-abc12', { labels: { app: 'productpage' }, ready: false }));
  const waiting = runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default', selector: 'app=productpage' }, env });
  await watchOpened(server.store, '/api/v1/namespaces/default/pods');
  server.store.expireWatchHistory({ openWatches: 'error' }); // ERROR 410 on the open stream, then it ends
  await watchOpened(server.store, '/api/v1/namespaces/default/pods', 2);
  server.store.setReady('pods', 'default', 'productpage-v1-abc12', true);
  const run = await waiting;
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.match(run.logs.join('\n'), /watch expired at resourceVersion \d+ \(410\); listing again/);
  t.equal(listRequests(server.store.requests, '/api/v1/namespaces/default/pods'), 2, 'listed again after the 410');
  const watches = server.store.requests.filter((r) => r.query.watch === 'true');
  t.equal(watches.length, 2, 'no watch from the expired resourceVersion: straight to a new list');
});

t.test('with nothing there yet it keeps waiting, says so, and finishes once the objects come and are ready', async (t) => {
  const { server, env } = await kubeFixture(t);
  const waiting = runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'bookinfo' }, env });
  await watchOpened(server.store, '/api/v1/namespaces/bookinfo/pods');
  server.store.create(makePod('bookinfo', 'ratings-v1-aaaaa', { labels: { app: 'ratings' }, ready: false }));
  server.store.setReady('pods', 'bookinfo', 'ratings-v1-aaaaa', true);
  const run = await waiting;
  t.ok(run.outcome.ok);
  t.equal(run.progress[0], 'no pods in namespace bookinfo yet; waiting for them to be created');
  t.match(run.progress[1], /^0\/1 ready; waiting for ratings-v1-aaaaa \(0\/1 ready, Running\)/);
});

t.test('nothing at all until the timeout is a failure that says nothing appeared', async (t) => {
  const { env } = await kubeFixture(t);
  const run = await runDirective(handler, { verb: 'wait', args: ['rollout'], attrs: { namespace: 'istio-system' }, env, timeoutMs: 400 });
  t.notOk(run.outcome.ok);
  t.equal(run.outcome.message, 'no deployments appeared in namespace istio-system');
});

t.test('a rollout timeout lists the stuck Deployments with their conditions and their pods\' container reasons', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.create(makeDeployment('default', 'details-v1'));
  server.store.create(makeDeployment('default', 'reviews-v2', { available: 0, labels: { app: 'reviews', version: 'v2' } }));
  server.store.create(
    makePod('default', 'reviews-v2-5b4f9d8c7-abcde', {
      labels: { app: 'reviews', version: 'v2' },
      containers: ['reviews'],
      ready: false,
      containerStatuses: [{ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "docker.io/istio/examples-bookinfo-reviews-v2:9.9"' } }],
    }),
  );
  const run = await runDirective(handler, { verb: 'wait', args: ['rollout'], attrs: { namespace: 'default' }, env, timeoutMs: 500 });
  t.notOk(run.outcome.ok);
  const message = run.outcome.message ?? '';
  t.match(message, /^1 of 2 deployment\(s\) in namespace default not rolled out:/);
  t.match(message, /reviews-v2 \(0\/1 available\): 0 of 1 updated replicas available; Available=False MinimumReplicasUnavailable/);
  t.match(message, /pod reviews-v2-5b4f9d8c7-abcde: .*container reviews: waiting: ImagePullBackOff \(Back-off pulling image/);
  t.notMatch(message, /details-v1/);
});

t.test('a timeout on an image pull refused over a rate limit says so and what helps; another pull failure does not', async (t) => {
  const { server, env } = await kubeFixture(t);
  // The message a 1.36 kubelet gives for Docker Hub's 429, as a pod's waiting state.
  const limited = 'Back-off pulling image "docker.io/istio/examples-bookinfo-details-v1:1.20.3": ErrImagePull: failed to pull and unpack image "docker.io/istio/examples-bookinfo-details-v1:1.20.3": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/istio/examples-bookinfo-details-v1/manifests/sha256:0123: 429 Too Many Requests - Server message: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit';
  server.store.create(makePod('default', 'details-v1-limited', { labels: { app: 'details' }, ready: false, containerStatuses: [{ waiting: { reason: 'ImagePullBackOff', message: limited } }] }));
  server.store.create(makePod('default', 'ratings-v1-missing', { labels: { app: 'ratings' }, ready: false, containerStatuses: [{ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "docker.io/istio/examples-bookinfo-ratings-v1:9.9": not found' } }] }));
  const run = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default', selector: 'app=details' }, env, timeoutMs: 400 });
  t.notOk(run.outcome.ok);
  t.match(run.outcome.message, /toomanyrequests/);
  t.match(run.outcome.message, /\nhint: a registry refused an image pull over its rate limit \(Docker Hub limits anonymous pulls per IP address\)\. Give the nodes credentials for it/);
  const other = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default', selector: 'app=ratings' }, env, timeoutMs: 400 });
  t.notOk(other.outcome.ok);
  t.match(other.outcome.message, /waiting: ImagePullBackOff \(Back-off pulling image .*not found\)/);
  t.notMatch(other.outcome.message, /hint:/);
});

t.test('a pods timeout names each pod not ready and why (CrashLoopBackOff with its last exit)', async (t) => {
  const { server, env } = await kubeFixture(t);
  const pod = makePod('default', 'ratings-v1-crash1', { labels: { app: 'ratings' }, containerStatuses: [{ ready: false, restartCount: 4, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' } }] });
  const status = pod.status as { containerStatuses: { lastState: object }[] };
  status.containerStatuses[0].lastState = { terminated: { exitCode: 1, reason: 'Error' } };
  server.store.create(pod);
  server.store.create(makePod('default', 'succeeded-job', { labels: { app: 'ratings' }, phase: 'Succeeded', ready: false }));
  const run = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default', selector: 'app=ratings' }, env, timeoutMs: 400 });
  t.notOk(run.outcome.ok);
  t.match(run.outcome.message, /^1 of 1 pods matching app=ratings in namespace default not ready:/);
  t.match(run.outcome.message, /ratings-v1-crash1 \(0\/1 ready, Pending\): Ready=False ContainersNotReady.*container app: waiting: CrashLoopBackOff \(back-off 1m20s restarting failed container\), 4 restarts; last run ended Error exit code 1/);
});

t.test('the progress line counts what is left', async (t) => {
  const r = (name: string, ready: boolean) => ({ name, ready, summary: ready ? '1/1 available' : '0/1 available', reasons: [] });
  const states = [r('a', true), r('b', false), r('c', false)];
  t.equal(progressLine(states, states.filter((s) => !s.ready)), '1/3 ready; waiting for b (0/1 available) and 1 more');
});

t.test('an unreachable API server is retried until the deadline, with the error in the output', async (t) => {
  const { server, env } = await kubeFixture(t);
  const kubeconfig = join(env.HOME, 'kubeconfig');
  copyFileSync(env.KUBECONFIG, kubeconfig); // close() removes the server's copy
  await server.close();
  env.KUBECONFIG = kubeconfig;
  const run = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default' }, env, timeoutMs: 700 });
  t.notOk(run.outcome.ok);
  t.match(run.logs[0], /^listing failed: .*ECONNREFUSED.*; retrying in 200 ms$/);
});
