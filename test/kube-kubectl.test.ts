// The real kubectl (≥ 1.31 protocols) against the Kubernetes API test server: `kubectl apply` of
// the same manifest twice (client-side, with strategic merge patches; server-side apply with
// field ownership), custom resources, and `kubectl port-forward` / `kubectl exec` steps inside a
// real run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { istioCrds, makeNode, makePod, startKubeApiServer } from './support/kube/index.ts';
import { CONTEXT, echoServer, freePort } from './support/kube-harness.ts';
import { kubectl } from './support/kubectl.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

type Any = Record<string, any>;

const deployment = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
        env:
        - { name: MODE, value: plain }
${extra}`;

/** A test server, kubectl for it, and the Deployment manifest written to a file. */
async function deploymentManifest(t: Parameters<typeof tempDir>[0] & Parameters<typeof kubectl>[0]) {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  const file = join(tempDir(t), 'web.yaml');
  writeFileSync(file, deployment('nginx:1.27'));
  return { server, k: kubectl(t, server.kubeconfigPath(CONTEXT)), file };
}

t.test('kubectl apply (client-side) of the same manifest twice, then of a changed one', async (t) => {
  const { server, k, file } = await deploymentManifest(t);
  t.equal((await k.run(['apply', '-f', file])).stdout.trim(), 'deployment.apps/web created');
  t.equal((await k.run(['apply', '-f', file])).stdout.trim(), 'deployment.apps/web unchanged');
  writeFileSync(file, deployment('nginx:1.28', '      - name: sidecar\n        image: busybox:1.36\n'));
  const changed = await k.run(['apply', '-f', file]);
  t.equal(changed.stdout.trim(), 'deployment.apps/web configured', changed.stderr);
  const patch = server.store.requests.find((r) => r.method === 'PATCH');
  t.equal(patch?.contentType, 'application/strategic-merge-patch+json');
  t.equal(patch?.query.fieldValidation, 'Strict', 'kubectl let the server validate (it found fieldValidation in OpenAPI v3)');
  const stored = server.store.get('deployments', 'default', 'web') as Any;
  const containers = stored.spec.template.spec.containers;
  t.same(containers.map((c: Any) => [c.name, c.image]), [['web', 'nginx:1.28'], ['sidecar', 'busybox:1.36']], 'containers merged by name, in the manifest order');
  t.same(containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }], 'fields the patch did not mention are kept');
  t.same(containers[0].env, [{ name: 'MODE', value: 'plain' }]);
  t.notMatch(JSON.stringify(stored), /\$setElementOrder|\$patch|\$retainKeys/, 'no patch directive lands in the object');
  t.equal(stored.metadata.generation, 2);
  t.match(JSON.parse(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.template.spec.containers[0].image, 'nginx:1.28');
  t.ok(stored.metadata.managedFields.some((m: Any) => m.manager === 'kubectl-client-side-apply' && m.operation === 'Update'));
  const shown = await k.run(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']);
  t.equal(shown.stdout, 'web sidecar');
});

t.test('kubectl apply --server-side twice, a field dropped, and a conflict with another manager', async (t) => {
  const { server, k, file } = await deploymentManifest(t);
  t.equal((await k.run(['apply', '--server-side', '-f', file])).stdout.trim(), 'deployment.apps/web serverside-applied');
  t.equal((await k.run(['apply', '--server-side', '-f', file])).stdout.trim(), 'deployment.apps/web serverside-applied');
  t.equal(server.store.requests.filter((r) => r.contentType === 'application/apply-patch+yaml').length, 2);
  writeFileSync(file, deployment('nginx:1.27').replace('        env:\n        - { name: MODE, value: plain }\n', ''));
  t.equal((await k.run(['apply', '--server-side', '-f', file])).code, 0);
  const stored = server.store.get('deployments', 'default', 'web') as Any;
  t.equal(stored.spec.template.spec.containers[0].env, undefined, 'a field the manager no longer applies is removed');
  t.same(stored.metadata.managedFields.map((m: Any) => [m.manager, m.operation]), [['kubectl', 'Apply']]);

  t.equal((await k.run(['scale', 'deployment/web', '--replicas=5'])).code, 0);
  const conflict = await k.run(['apply', '--server-side', '-f', file]);
  t.equal(conflict.code, 1);
  // kubectl scale sends no fieldManager: the server names the manager after the User-Agent, "kubectl".
  t.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl" using apps\/v1: \.spec\.replicas/);
  const forced = await k.run(['apply', '--server-side', '--force-conflicts', '-f', file]);
  t.equal(forced.code, 0, forced.stderr);
  t.equal((server.store.get('deployments', 'default', 'web') as Any).spec.replicas, 2);
});

t.test('kubectl apply of an Istio resource twice: merge patch, printer columns', async (t) => {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  for (const crd of istioCrds()) server.store.create(crd);
  const dir = tempDir(t);
  const k = kubectl(t, server.kubeconfigPath(CONTEXT));
  const file = join(dir, 'vs.yaml');
  const vs = (subset: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: ${subset}\n`;
  writeFileSync(file, vs('v1'));
  t.equal((await k.run(['apply', '-f', file])).stdout.trim(), 'virtualservice.networking.istio.io/reviews created');
  t.equal((await k.run(['apply', '-f', file])).stdout.trim(), 'virtualservice.networking.istio.io/reviews unchanged');
  writeFileSync(file, vs('v2'));
  t.equal((await k.run(['apply', '-f', file])).stdout.trim(), 'virtualservice.networking.istio.io/reviews configured');
  t.equal(server.store.requests.filter((r) => r.method === 'PATCH').at(-1)?.contentType, 'application/merge-patch+json', 'custom resources get a JSON merge patch');
  const table = (await k.run(['get', 'virtualservices'])).stdout.trim().split('\n').map((l) => l.split(/\s+/));
  t.same(table[0], ['NAME', 'GATEWAYS', 'HOSTS', 'AGE'], 'the CRD\'s printer columns');
  t.same(table[1].slice(0, 2), ['reviews', '["reviews"]'], 'HOSTS printed as the apiextensions server prints lists (GATEWAYS empty)');
  t.equal((await k.run(['get', 'vs', 'reviews', '-o', 'jsonpath={.spec.http[0].route[0].destination.subset}'])).stdout, 'v2');
});

t.test('kubectl port-forward and kubectl exec as steps of a real run', async (t) => {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  const echo = await echoServer(t, 'web:');
  server.store.create(makeNode('istio-runbook-control-plane'));
  server.store.create(makePod('default', 'web-1', { labels: { app: 'web' } }));
  server.store.setPortForwardTarget('default', 'web-1', 8080, { host: '127.0.0.1', port: echo.port });
  const local = await freePort();
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\n`,
    'book/01.md': [
      '```bash background id=forward ready="Forwarding from 127.0.0.1"',
      `kubectl port-forward pod/web-1 ${local}:8080`,
      '```',
      '',
      '```bash run id=through-forward',
      `exec {sock}<>/dev/tcp/127.0.0.1/${local}; printf 'hello\\n' >&$sock; read -r -t 3 answer <&$sock; echo "$answer"; exec {sock}>&-`,
      '```',
      '',
      '```bash run id=exec exit=3',
      "kubectl exec web-1 -- sh -c 'echo from $HOSTNAME; echo oops >&2; exit 3'",
      '```',
      '',
      '```text expect-output match=lines',
      'from web-1',
      'oops',
      'command terminated with exit code 3',
      '```',
      '',
      '```bash run id=exec-stdin',
      'echo piped | kubectl exec -i web-1 -- tr a-z A-Z',
      '```',
      '',
    ].join('\n'),
  });
  const result = await runCli(['run', 'book', '--report', 'run.json'], { cwd: dir, env: { KUBECONFIG: server.kubeconfigPath(CONTEXT), HOME: dir } });
  t.equal(result.code, 0, result.out);
  const steps = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).steps as Array<{ id: string; output: string; exitCode: number }>;
  const step = (id: string) => steps.find((s) => s.id === id)!;
  t.equal(step('through-forward').output, 'web:hello\n');
  t.equal(step('exec').exitCode, 3);
  t.equal(step('exec-stdin').output, 'PIPED\n');
  const upgrades = server.store.requests.filter((r) => /\/(portforward|exec)$/.test(r.path));
  t.ok(upgrades.some((r) => r.path.endsWith('/portforward') && r.method === 'GET' && r.protocols === 'SPDY/3.1+portforward.k8s.io'), 'port-forward tunnelled SPDY through a WebSocket');
  t.notOk(upgrades.some((r) => r.method === 'POST'), 'no fallback to a SPDY upgrade was needed');
  t.ok(upgrades.filter((r) => r.path.endsWith('/exec')).every((r) => r.protocols?.startsWith('v5.channel.k8s.io')), 'exec spoke v5.channel.k8s.io');
});
