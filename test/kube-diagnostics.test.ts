// Failure diagnostics and cluster facts: what lands in a failed step's data and in the run's facts,
// collected from the Kubernetes API test server, directly and through the real CLI.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { kubeClients } from '../engine/kube/client.ts';
import { collectDiagnostics } from '../engine/kube/diagnostics.ts';
import { collectClusterFacts, istioVersionFromImage } from '../engine/kube/facts.ts';
import { touchedNamespaces } from '../engine/kube/touched-namespaces.ts';
import type { StepResult } from '../engine/execute/results.ts';
import { makeDeployment, makeEvent, makeNode, makePod, type KubeStore } from './support/kube/index.ts';
import { CONTEXT, kubeFixture } from './support/kube-harness.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

/** A namespace in trouble: a crash-looping pod with logs, an image that cannot be pulled, a healthy pod, events. */
function troubledNamespace(store: KubeStore, namespace: string): void {
  const crashing = makePod(namespace, 'ratings-v1-7d4f8b6c9-x2x9k', {
    labels: { app: 'ratings' },
    containers: ['ratings'],
    ready: false,
    containerStatuses: [{ ready: false, restartCount: 5, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=ratings' } }],
  });
  (crashing.status as { containerStatuses: { lastState: object }[] }).containerStatuses[0].lastState = { terminated: { exitCode: 1, reason: 'Error' } };
  store.create(crashing);
  store.setPodLog(
    namespace,
    'ratings-v1-7d4f8b6c9-x2x9k',
    Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\nconnecting with db-pass-7f3e91c2a\nusing mongodb-password-s3cret\nError: cannot connect to mongodb\n',
    { previous: true },
  );
  store.create(
    makePod(namespace, 'reviews-v2-5b4f9d8c7-abcde', {
      labels: { app: 'reviews' },
      ready: false,
      containerStatuses: [{ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "docker.io/istio/examples-bookinfo-reviews-v2:nope"' } }],
    }),
  );
  store.create(makePod(namespace, 'details-v1-6b9d8c7f5-q2w3e', { labels: { app: 'details' } }));
  store.create(makeEvent(namespace, { involvedObject: { kind: 'Pod', name: 'ratings-v1-7d4f8b6c9-x2x9k' }, reason: 'BackOff', message: 'Back-off restarting failed container ratings', type: 'Warning', count: 7 }));
  store.create(makeEvent(namespace, { involvedObject: { kind: 'Pod', name: 'reviews-v2-5b4f9d8c7-abcde' }, reason: 'Failed', message: 'Error: ImagePullBackOff', type: 'Warning' }));
  store.create(makeEvent(namespace, { involvedObject: { kind: 'Pod', name: 'details-v1-6b9d8c7f5-q2w3e' }, reason: 'Started', message: 'Started container details' }));
}

t.test('diagnostics: pods not ready with their states, Warning events, and log tails of failing containers', async (t) => {
  const { server, env } = await kubeFixture(t);
  troubledNamespace(server.store, 'bookinfo');
  const d = await collectDiagnostics(kubeClients({ env }), ['bookinfo', 'default']);
  t.same(d.pods.map((p) => p.name).sort(), ['ratings-v1-7d4f8b6c9-x2x9k', 'reviews-v2-5b4f9d8c7-abcde'], 'only pods that are not ready');
  const ratings = d.pods.find((p) => p.name.startsWith('ratings'))!;
  t.match(ratings.problems.join('\n'), /container ratings: waiting: CrashLoopBackOff \(back-off 2m40s restarting failed container=ratings\), 5 restarts; last run ended Error exit code 1/);
  t.match(d.pods.find((p) => p.name.startsWith('reviews'))!.problems.join('\n'), /waiting: ImagePullBackOff/);
  t.same(d.events.map((e) => e.reason).sort(), ['BackOff', 'Failed'], 'Warning events only');
  t.match(d.events.find((e) => e.reason === 'BackOff'), { namespace: 'bookinfo', object: 'Pod/ratings-v1-7d4f8b6c9-x2x9k', count: 7 });
  t.equal(d.logs.length, 1, 'logs of the crashing container; none for the image that never ran');
  t.match(d.logs[0], { namespace: 'bookinfo', pod: 'ratings-v1-7d4f8b6c9-x2x9k', container: 'ratings', previous: true });
  t.equal(d.logs[0].lines.length, 20);
  t.equal(d.logs[0].lines.at(-1), 'Error: cannot connect to mongodb');
  t.match(d.summary, /^cluster state \(context kind-istio-runbook; namespaces bookinfo, default\):\n {2}pod bookinfo\/ratings/);
  t.match(d.summary, /logs of bookinfo\/ratings-v1-7d4f8b6c9-x2x9k ratings \(previous run\), last 20 lines:\n {2}\| line 14/);
  t.same(d.errors, []);
});

t.test('diagnostics end with what helps when a pull was refused over a registry\'s rate limit', async (t) => {
  const { server, env } = await kubeFixture(t);
  troubledNamespace(server.store, 'bookinfo');
  server.store.setPodLog('bookinfo', 'ratings-v1-7d4f8b6c9-x2x9k', 'GET /ratings 429 Too Many Requests (toomanyrequests)\n', { previous: true });
  t.notMatch((await collectDiagnostics(kubeClients({ env }), ['bookinfo'])).summary, /hint:/, 'no hint for other pull failures, nor for an application that logs its own 429');
  server.store.create(makeEvent('bookinfo', { involvedObject: { kind: 'Pod', name: 'reviews-v2-5b4f9d8c7-abcde' }, reason: 'Failed', message: 'Failed to pull image "docker.io/istio/examples-bookinfo-reviews-v2:1.20.3": 429 Too Many Requests - Server message: toomanyrequests: You have reached your unauthenticated pull rate limit.', type: 'Warning' }));
  const d = await collectDiagnostics(kubeClients({ env }), ['bookinfo']);
  t.match(d.summary, /toomanyrequests[^\n]*\n(?:.*\n)*hint: a registry refused an image pull over its rate limit/);
  t.match(d.summary.split('\n').at(-1), /^hint: /, 'the hint comes last');
});

t.test('diagnostics report what they could not get from a cluster that is gone', async (t) => {
  const { server, env } = await kubeFixture(t);
  const clients = kubeClients({ env });
  await server.close();
  const d = await collectDiagnostics(clients, ['default'], { budgetMs: 500, logLines: 20, maxLogs: 5, maxEvents: 15 });
  t.match(d.errors.join('\n'), /pods in default: .*ECONNREFUSED/);
  t.match(d.summary, /\(not collected: pods in default/);
});

t.test('diagnostics stop at their budget when the API server never answers', async (t) => {
  // A server that accepts connections and never replies: without the budget, this would hang
  // until the test's own timeout; with it, the requests are cut short and said so.
  const silent = createServer(() => {});
  const sockets = new Set<Socket>();
  silent.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), silent.close(() => resolve()))));
  const dir = tempDir(t);
  const kubeconfig = join(dir, 'kubeconfig');
  const port = (silent.address() as AddressInfo).port;
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{ name: silent, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: silent, context: { cluster: silent, user: u } }]\ncurrent-context: silent\n`,
  );
  const d = await collectDiagnostics(kubeClients({ env: { KUBECONFIG: kubeconfig } }), ['default'], { budgetMs: 300, logLines: 20, maxLogs: 5, maxEvents: 15 });
  t.match(d.errors.join('\n'), /pods in default: the request was cut short \(timeout\)/);
  t.match(d.errors.join('\n'), /events in default: the request was cut short \(timeout\)/);
});

t.test('namespaces the run touched: directives, -n and --namespace of kubectl and istioctl, and default', async (t) => {
  const command = (code: string) => ({ step: { type: 'command', code } }) as unknown as StepResult;
  const directive = (verb: string, attrs: Record<string, string>) => ({ step: { type: 'directive', verb, attrs } }) as unknown as StepResult;
  const results = [
    command('kubectl create namespace foo\nkubectl apply -n foo -f httpbin.yaml'),
    command('kubectl get pods --namespace=bar -o wide | grep Running'),
    command('istioctl proxy-config listeners -n "legacy" deploy/curl'),
    command('echo -n hello'),
    directive('wait', { namespace: 'istio-system' }),
    directive('ingress', {}),
    directive('wait', { namespace: '$NS' }),
  ];
  t.same(touchedNamespaces(results), ['foo', 'bar', 'legacy', 'istio-system', 'default']);
  t.same(touchedNamespaces(results, 3), ['legacy', 'istio-system', 'default'], 'the most recent when there are many');
});

t.test('facts: server version, node count, and Istio from istiod\'s image tag', async (t) => {
  const { server, env } = await kubeFixture(t);
  server.store.setVersion({ gitVersion: 'v1.34.2-eks-b707fbb' });
  server.store.create(makeNode('a'));
  server.store.create(makeNode('b'));
  const clients = kubeClients({ env });
  t.same(await collectClusterFacts(clients), { kubernetesVersion: 'v1.34.2-eks-b707fbb', nodes: 2 }, 'no Istio yet: no istioVersion');
  server.store.create(makeDeployment('istio-system', 'istiod', { labels: { app: 'istiod' }, image: 'docker.io/istio/pilot:1.31.1-distroless' }));
  t.same(await collectClusterFacts(clients), { kubernetesVersion: 'v1.34.2-eks-b707fbb', nodes: 2, istioVersion: '1.31.1' });
  t.equal(istioVersionFromImage('gcr.io/istio-release/pilot:1.31.0@sha256:' + 'a'.repeat(64)), '1.31.0');
  t.equal(istioVersionFromImage('localhost:5000/pilot:1.31.1-debug'), '1.31.1');
  t.equal(istioVersionFromImage(undefined), undefined);
});

t.test('through the CLI: a failed step carries diagnostics, the run carries facts even after cleanup removed the context', async (t) => {
  const fixture = await kubeFixture(t);
  troubledNamespace(fixture.server.store, 'bookinfo');
  fixture.server.store.create(makeNode('istio-runbook-control-plane'));
  fixture.server.store.create(makeDeployment('istio-system', 'istiod', { labels: { app: 'istiod' }, image: 'docker.io/istio/pilot:1.31.1' }));
  const dir = tempDir(t);
  const kubeconfig = join(dir, 'kubeconfig');
  copyFileSync(fixture.kubeconfig, kubeconfig);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\nredact: ['mongodb-password-[a-z0-9]+']\n`,
    'book/01.md': [
      '```bash run id=check-ratings',
      'export MONGO_PASSWORD=db-pass-7f3e91c2a',
      'kubectl get pods -n bookinfo -l app=ratings -o name',
      'echo "ratings is not ready"; exit 1',
      '```',
      '',
      '```bash cleanup id=forget-cluster',
      'kubectl config unset current-context',
      '```',
      '',
    ].join('\n'),
  });
  const r = await runCli(['run', 'book', '--report', 'run.json'], { cwd: dir, env: { KUBECONFIG: kubeconfig, HOME: dir } });
  t.equal(r.code, 1, r.out);
  const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const failed = report.steps.find((s: { id: string }) => s.id === 'check-ratings');
  t.equal(failed.status, 'failed');
  const d = failed.data.diagnostics;
  t.same(d.namespaces, ['bookinfo', 'default']);
  t.ok(d.pods.some((p: { name: string }) => p.name === 'ratings-v1-7d4f8b6c9-x2x9k'));
  t.ok(d.events.some((e: { reason: string }) => e.reason === 'BackOff'));
  t.equal(d.logs[0].lines.at(-1), 'Error: cannot connect to mongodb');
  t.equal(d.logs[0].lines.at(-2), 'using [REDACTED]', 'the runbook\'s redact patterns apply to the logs');
  t.equal(d.logs[0].lines.at(-3), 'connecting with [REDACTED]', 'so does a secret the failing step exported');
  t.notMatch(JSON.stringify(report), /s3cret|db-pass-7f3e91c2a/);
  t.same(report.facts, { kubernetesVersion: 'v1.33.1', nodes: 1, istioVersion: '1.31.1' });
  t.match(readFileSync(kubeconfig, 'utf8'), /current-context: ""|^(?![\s\S]*current-context: kind)/, 'cleanup removed the context');
});
