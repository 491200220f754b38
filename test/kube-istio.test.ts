// `wait istio` against the API test server's istiod (test/support/kube/istiod.ts), read through
// port-forwards to its monitoring port as istioctl proxy-status reads it: proxies in sync, held,
// NACKing or not connected; resources istiod has not loaded yet or reports errors for; and the
// directive in a real run after a real `kubectl apply`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { handler } from '../engine/directives/wait-istio.ts';
import { istioCrds, makeNode, makePod, startIstiod, startKubeApiServer, type FakeIstiod, type KubeApiServer } from './support/kube/index.ts';
import { CONTEXT, runDirective, until } from './support/kube-harness.ts';
import { kubectl } from './support/kubectl.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const REVIEWS = 'reviews-v1-7d4f8b6c9-x2x9k';
const PRODUCTPAGE = 'productpage-v1-6b9d8c7f5-q2w3e';
const VS = (subset: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: default\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: { host: reviews, subset: ${subset} }\n`;

async function mesh(t: Parameters<typeof tempDir>[0] & Parameters<typeof kubectl>[0], options: Parameters<typeof startIstiod>[1] = {}) {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  for (const crd of istioCrds()) server.store.create(crd);
  server.store.create(makeNode('istio-runbook-control-plane'));
  const istiod = await startIstiod(server.store, options);
  t.teardown(() => istiod.close());
  server.store.create(makePod('default', PRODUCTPAGE, { labels: { app: 'productpage' }, containers: ['productpage'], sidecars: ['istio-proxy'] }));
  server.store.create(makePod('default', REVIEWS, { labels: { app: 'reviews' }, containers: ['reviews', 'istio-proxy'] }));
  server.store.create(makePod('default', 'no-mesh-1', { labels: { app: 'plain' } }));
  const kubeconfig = server.kubeconfigPath(CONTEXT);
  const dir = tempDir(t);
  const env = { KUBECONFIG: kubeconfig, HOME: dir, PATH: process.env.PATH ?? '', RUNBOOK_ISTIO_SETTLE: '50ms' };
  const apply = async (subset: string) => {
    writeFileSync(join(dir, 'vs.yaml'), VS(subset));
    const result = await kubectl(t, kubeconfig).run(['apply', '-f', join(dir, 'vs.yaml')]);
    t.equal(result.code, 0, result.stderr);
  };
  return { server, istiod, env, dir, kubeconfig, apply };
}

const wait = (env: Record<string, string>, attrs: Record<string, string>, extra: { timeoutMs?: number; onProgress?: (s: string) => void } = {}) =>
  runDirective(handler, { verb: 'wait', args: ['istio'], attrs, env, timeoutMs: extra.timeoutMs ?? 15_000, onProgress: extra.onProgress });

t.test('in sync: every proxy of the namespace acknowledged, the resource loaded by istiod', async (t) => {
  const { server, istiod, env, apply } = await mesh(t);
  await apply('v1');
  const run = await wait(env, { namespace: 'default', resources: 'virtualservice/reviews' });
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.same(run.logs, [`${PRODUCTPAGE}.default SYNCED`, `${REVIEWS}.default SYNCED`, 'virtualservice/reviews in default accepted'], 'pods without a proxy are not waited for');
  t.same((run.outcome.data?.istio as { istiod: string[] }).istiod, [istiod.podName]);
  const forwards = server.store.requests.filter((r) => r.path === `/api/v1/namespaces/istio-system/pods/${istiod.podName}/portforward`);
  t.ok(forwards.length > 0 && forwards.every((r) => r.query.ports === '15014'), "istiod's monitoring port, by its name http-monitoring");
});

t.test('a proxy that does not acknowledge is named, with the xDS types it is STALE on, until it catches up', async (t) => {
  const { istiod, env, apply } = await mesh(t);
  await apply('v1');
  istiod.hold(`${REVIEWS}.default`);
  await apply('v2');
  const stuck = await wait(env, { namespace: 'default', resources: 'vs/reviews' }, { timeoutMs: 1500 });
  t.notOk(stuck.outcome.ok);
  t.match(stuck.outcome.message, new RegExp(`^1 of 2 proxies in default not in sync with istiod:\\n  ${REVIEWS}\\.default: CDS STALE \\(the last push is not acknowledged yet\\); LDS STALE`));
  t.match(stuck.outcome.message, /see: istioctl proxy-status --namespace default$/);

  const progress: string[] = [];
  const waiting = wait(env, { namespace: 'default' }, { onProgress: (p) => progress.push(p) });
  await until(() => progress.some((p) => p.includes('STALE')), 'the wait to see the stale proxy');
  istiod.release(`${REVIEWS}.default`);
  const run = await waiting;
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.match(progress[0], /^1\/2 proxies in sync; reviews-v1-7d4f8b6c9-x2x9k\.default: CDS STALE/);
});

t.test('a NACK, a proxy not connected, and no istiod at all are told apart', async (t) => {
  const { server, istiod, env, apply } = await mesh(t);
  await apply('v1');
  istiod.nack(`${PRODUCTPAGE}.default`, 'route', 'Proto constraint validation failed (RouteConfigurationValidationError.VirtualHosts[0]: ...)');
  istiod.disconnect(`${REVIEWS}.default`);
  const run = await wait(env, { namespace: 'default' }, { timeoutMs: 1500 });
  t.notOk(run.outcome.ok);
  t.match(run.outcome.message, `${PRODUCTPAGE}.default: RDS rejected by the proxy (NACK): Proto constraint validation failed`);
  t.match(run.outcome.message, `${REVIEWS}.default: not connected to istiod (${istiod.podName})`);

  server.store.delete('pods', 'istio-system', istiod.podName);
  const none = await wait(env, { namespace: 'default' }, { timeoutMs: 800 });
  t.equal(none.outcome.message, 'no Running istiod pod (app=istiod) in namespace istio-system: is Istio installed?');
});

t.test('resources: not loaded yet, an older version loaded, errors in their status', async (t) => {
  const { server, istiod, env, apply } = await mesh(t, { configLoading: 'manual' });
  await apply('v1');
  const unloaded = await wait(env, { namespace: 'default', resources: 'virtualservice/reviews' }, { timeoutMs: 1200 });
  t.match(unloaded.outcome.message, /^1 of 1 Istio resources not accepted:\n  virtualservice\/reviews in default: istiod has not loaded it yet/m);
  istiod.loadConfig();
  await apply('v2');
  const older = await wait(env, { namespace: 'default', resources: 'virtualservice/reviews' }, { timeoutMs: 1200 });
  t.match(older.outcome.message, /virtualservice\/reviews in default: istiod has resourceVersion \d+ loaded, not the current \d+/);
  istiod.loadConfig();
  t.ok((await wait(env, { namespace: 'default', resources: 'virtualservice/reviews' })).outcome.ok);

  server.store.patch('virtualservices.networking.istio.io', 'default', 'reviews', {
    status: { validationMessages: [{ level: 'ERROR', type: { code: 'IST0101', name: 'ReferencedResourceNotFound' }, description: 'Referenced host not found: "reviewz"' }] },
  });
  const invalid = await wait(env, { namespace: 'default', resources: 'virtualservice/reviews' }, { timeoutMs: 1200 });
  t.match(invalid.outcome.message, /virtualservice\/reviews in default: istio reports IST0101 Referenced host not found: "reviewz"/);
  const missing = await wait(env, { namespace: 'default', resources: 'destinationrule/reviews' }, { timeoutMs: 800 });
  t.match(missing.outcome.message, /destinationrule\/reviews in default: does not exist/);
});

t.test('wait istio in a real run, after kubectl apply', async (t) => {
  const { dir, kubeconfig } = await mesh(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\n`,
    'book/01.md': [
      '```bash run id=route',
      `kubectl apply -f - <<'EOF'\n${VS('v1')}EOF`,
      '```',
      '',
      '<!-- runbook: wait istio namespace=default resources=virtualservice/reviews id=mesh-has-it timeout=30s -->',
      '',
    ].join('\n'),
  });
  const result = await runCli(['run', 'book', '--set', 'RUNBOOK_ISTIO_SETTLE=50ms'], { cwd: dir, env: { KUBECONFIG: kubeconfig, HOME: dir } });
  t.equal(result.code, 0, result.out);
  t.match(result.out, /mesh-has-it/);
});
