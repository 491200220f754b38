// Real kubeconfig shapes against an HTTPS API test server that checks credentials: what kind
// writes (the cluster CA, a client certificate) and what `aws eks update-kubeconfig` writes (an
// exec credential plugin). The plugin must see what the session set — `--set AWS_PROFILE=…` or an
// `export` in a step — for the directives as for the kubectl in the steps, though the runbook
// process itself never had it.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { handler } from '../engine/directives/wait.ts';
import { makeNode, makePod, startKubeApiServer } from './support/kube/index.ts';
import { testCertificates } from './support/kube/tls.ts';
import { CONTEXT, runDirective } from './support/kube-harness.ts';
import { kubectl } from './support/kubectl.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

t.test("kind's kubeconfig: HTTPS with the cluster CA and a client certificate", async (t) => {
  const server = await startKubeApiServer({ tls: true, auth: { clientCertificates: true } });
  t.teardown(() => server.close());
  server.store.create(makePod('default', 'web-1', { labels: { app: 'web' } }));
  const certs = testCertificates();
  const kubeconfig = server.kubeconfigPath(CONTEXT, { user: { clientCertificate: { cert: certs.clientCert, key: certs.clientKey } } });
  t.match(readFileSync(kubeconfig, 'utf8'), /certificate-authority-data: [A-Za-z0-9+/=]+\n[\s\S]*client-certificate-data: [A-Za-z0-9+/=]+\n\s+client-key-data:/);
  const env = { KUBECONFIG: kubeconfig, HOME: tempDir(t), PATH: process.env.PATH ?? '' };

  const run = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default' }, env });
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.ok(server.store.requests.length > 0 && server.store.requests.every((r) => r.user === 'kubernetes-admin'), 'every request authenticated by its certificate');
  const got = await kubectl(t, kubeconfig).run(['get', 'pods', '-o', 'name']);
  t.equal(got.stdout.trim(), 'pod/web-1', got.stderr);

  const stranger = server.kubeconfigPath('kind-stranger', { user: { token: 'not-a-known-token' } });
  const refused = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default' }, env: { ...env, KUBECONFIG: stranger }, timeoutMs: 10_000 }).catch((e: Error) => e);
  t.match(String((refused as Error).message), /the API server refused to list \/api\/v1\/namespaces\/default\/pods: Unauthorized \(HTTP 401\)/, 'refused credentials fail at once, with the reason');
});

/** A stand-in for `aws eks get-token`: no AWS_PROFILE, no token; the token names the profile. */
function tokenPlugin(dir: string): string {
  const path = join(dir, 'bin', 'aws-get-token');
  writeFiles(dir, {
    'bin/aws-get-token': [
      '#!/bin/bash',
      'echo "$AWS_PROFILE ${AWS_REGION:-} ${KUBERNETES_EXEC_INFO:+exec-info} $*" >> "$(dirname "$0")/calls.log"',
      '[ -n "$AWS_PROFILE" ] || { echo "Unable to locate credentials. You can configure credentials by running \\"aws configure\\"." >&2; exit 253; }',
      'printf \'{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"k8s-aws-v1.%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}\' "$AWS_PROFILE"',
      '',
    ].join('\n'),
  });
  chmodSync(path, 0o755);
  return path;
}

t.test("an exec credential plugin (aws eks update-kubeconfig's shape) sees the session's variables", async (t) => {
  const server = await startKubeApiServer({ tls: true, auth: { tokens: { 'k8s-aws-v1.runbook-admin': 'arn:aws:iam::123456789012:user/runbook-admin' } } });
  t.teardown(() => server.close());
  server.store.create(makeNode('ip-192-168-1-10.us-west-2.compute.internal'));
  server.store.create(makePod('default', 'productpage-v1-abcde', { labels: { app: 'productpage' } }));
  const dir = tempDir(t);
  tokenPlugin(dir);
  const kubeconfig = server.kubeconfigPath('arn:aws:eks:us-west-2:123456789012:cluster/istio-runbook', {
    // A relative command is relative to the kubeconfig's own directory, as kubectl has it: copy it there.
    user: { exec: { command: join(dir, 'bin', 'aws-get-token'), args: ['--region', 'us-west-2', 'eks', 'get-token', '--cluster-name', 'istio-runbook'], env: [{ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' }] } },
  });
  const book = (steps: string[]) => ({
    'book/runbook.yaml': 'targets:\n  eks: { context: "*istio-runbook*" }\n',
    'book/01.md': steps.join('\n\n') + '\n',
  });
  const kubectlStep = '```bash run id=kubectl-sees-it\nkubectl get pods -o name\n```';
  const directive = '<!-- runbook: wait pods namespace=default selector=app=productpage id=directive-sees-it timeout=20s -->';
  const env = { KUBECONFIG: kubeconfig, HOME: dir, AWS_PROFILE: '', AWS_REGION: '' };
  t.notOk(process.env.AWS_PROFILE, 'the test process has no AWS_PROFILE to leak');
  const calls = () => readFileSync(join(dir, 'bin', 'calls.log'), 'utf8').trim().split('\n');

  writeFiles(dir, book([kubectlStep, directive]));
  const set = await runCli(['run', 'book', '--set', 'AWS_PROFILE=runbook-admin', '--report', 'set.json'], { cwd: dir, env });
  t.equal(set.code, 0, set.out);
  const steps = JSON.parse(readFileSync(join(dir, 'set.json'), 'utf8')).steps;
  t.equal(steps.find((s: { id: string }) => s.id === 'kubectl-sees-it').output, 'pod/productpage-v1-abcde\n');
  t.equal(steps.find((s: { id: string }) => s.id === 'directive-sees-it').status, 'passed');
  t.ok(calls().every((c) => c.startsWith('runbook-admin ') && c.includes('exec-info') && c.includes('--region us-west-2 eks get-token --cluster-name istio-runbook')), calls().join('\n'));

  // A variable exported by a step reaches the plugin the directive runs (kubectl's own run aside).
  writeFiles(dir, book(['```bash run id=region\nexport AWS_REGION=eu-central-1\n```', directive]));
  const exported = await runCli(['run', 'book', '--set', 'AWS_PROFILE=runbook-admin'], { cwd: dir, env });
  t.equal(exported.code, 0, exported.out);
  t.ok(calls().some((c) => c.startsWith('runbook-admin eu-central-1 ')), `the directive's plugin saw the exported AWS_REGION:\n${calls().join('\n')}`);

  writeFiles(dir, book([kubectlStep, directive]));
  const missing = await runCli(['run', 'book'], { cwd: dir, env });
  t.equal(missing.code, 2, 'without the profile the cluster cannot be reached: nothing runs');
  t.match(missing.out, /aws-get-token of user .* exited with 253: Unable to locate credentials/, 'and the plugin says why');
});

t.test('the plugin is refused when it needs a terminal, and a bad answer is explained', async (t) => {
  const server = await startKubeApiServer({ tls: true, auth: { tokens: { 'k8s-aws-v1.x': 'x' } } });
  t.teardown(() => server.close());
  const dir = tempDir(t);
  const env = (kubeconfig: string) => ({ KUBECONFIG: kubeconfig, HOME: dir, PATH: process.env.PATH ?? '', AWS_PROFILE: 'x' });
  const always = server.kubeconfigPath('always', { user: { exec: { command: tokenPlugin(dir), interactiveMode: 'Always' } } });
  const run = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default' }, env: env(always), timeoutMs: 10_000 }).catch((e: Error) => e);
  t.match((run as Error).message, /needs an interactive terminal \(interactiveMode: Always\), which a run does not have/);
  const liar = join(dir, 'bin', 'liar');
  writeFileSync(liar, '#!/bin/bash\necho \'{"kind":"Status"}\'\n');
  chmodSync(liar, 0o755);
  const bad = server.kubeconfigPath('bad', { user: { exec: { command: liar } } });
  const answer = await runDirective(handler, { verb: 'wait', args: ['pods'], attrs: { namespace: 'default' }, env: env(bad), timeoutMs: 10_000 }).catch((e: Error) => e);
  t.match((answer as Error).message, /plugin .*liar of user bad printed Status , not an ExecCredential of client\.authentication\.k8s\.io\/v1beta1/);
});
