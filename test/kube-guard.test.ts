// The kube context guard and --context, through the real CLI against the Kubernetes API test
// server (real kubectl in the steps), plus the kubeconfig loading rules it relies on.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { checkContext } from '../engine/kube/guard.ts';
import { contextMatches, readKubeconfig } from '../engine/kube/kubeconfig.ts';
import { loadKubeConfig } from '../engine/kube/client.ts';
import { createContextOverlay } from '../engine/kube/context-overlay.ts';
import type { CommandStep } from '../engine/model.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { makeDeployment } from './support/kube/index.ts';
import { CONTEXT, kubeFixture } from './support/kube-harness.ts';

function kubeconfig(dir: string, file: string, current: string | undefined, contexts: string[], server = 'https://127.0.0.1:6443'): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((name) => ({ name, cluster: { server } })),
      users: contexts.map((name) => ({ name, user: { token: 't' } })),
      contexts: contexts.map((name) => ({ name, context: { cluster: name, user: name } })),
      ...(current ? { 'current-context': current } : {}),
    }),
  );
  return path;
}

const step = (tags: string[] = []) => ({ type: 'command', tags, id: 's', position: { file: 'f.md', line: 1 } }) as unknown as CommandStep;
const kindTarget = { name: 'kind', context: 'kind-istio-runbook', requires: [] };

t.test('kubeconfig files merge the way kubectl merges them', async (t) => {
  const dir = tempDir(t);
  const a = kubeconfig(dir, 'a', 'prod-eu', ['prod-eu']);
  const b = kubeconfig(dir, 'b', 'kind-istio-runbook', ['kind-istio-runbook', 'prod-eu'], 'https://other:6443');
  const view = readKubeconfig({ KUBECONFIG: `${a}:${join(dir, 'missing')}:${b}:${a}` });
  t.equal(view.currentContext, 'prod-eu', 'the first file to set current-context wins');
  t.same(view.read, [a, b], 'missing files are skipped, duplicates read once');
  t.equal(view.clusters.get('prod-eu')?.server, 'https://127.0.0.1:6443', 'the first definition of a name wins');
  t.same([...view.contexts.keys()], ['prod-eu', 'kind-istio-runbook']);
  t.equal(readKubeconfig({ HOME: dir }).files[0], join(dir, '.kube', 'config'), 'no KUBECONFIG: ~/.kube/config');

  const kc = loadKubeConfig({ KUBECONFIG: `${b}:${a}` });
  t.equal(kc.getCurrentContext(), 'kind-istio-runbook', 'client-node gets the same merge');
  t.equal(kc.getCluster('prod-eu')?.server, 'https://other:6443');
  t.equal(loadKubeConfig({ KUBECONFIG: `${b}:${a}` }, undefined, 'prod-eu').getCurrentContext(), 'prod-eu', '--context wins');
});

t.test('context globs: * and ?', async (t) => {
  t.ok(contextMatches('*istio-runbook*', 'arn:aws:eks:us-west-2:111122223333:cluster/istio-runbook'));
  t.ok(contextMatches('*istio-runbook*', 'me@istio-runbook.us-west-2.eksctl.io'));
  t.ok(contextMatches('kind-istio-runbook', 'kind-istio-runbook'));
  t.notOk(contextMatches('kind-istio-runbook', 'kind-istio-runbook-2'));
  t.ok(contextMatches('kind-?', 'kind-a'));
  t.notOk(contextMatches('kind-?', 'kind-ab'));
  t.notOk(contextMatches('a.b', 'aXb'), 'dots are literal');
});

t.test('the guard rule, step by step', async (t) => {
  const dir = tempDir(t);
  const prod = kubeconfig(dir, 'prod', 'prod-eu', ['prod-eu', 'kind-istio-runbook']);
  const env = { KUBECONFIG: prod };
  t.equal(checkContext({ step: step(), target: { name: 'docs', requires: [] }, env }), undefined, 'a target without context needs no cluster');
  t.equal(checkContext({ step: step(['provision']), target: kindTarget, env }), undefined, 'provision steps may run first');
  t.equal(
    checkContext({ step: step(), target: kindTarget, env }),
    'the current kube context is "prod-eu", but target kind expects "kind-istio-runbook". Switch with: kubectl config use-context kind-istio-runbook  (or run with --context kind-istio-runbook)',
  );
  const none = { KUBECONFIG: join(dir, 'absent') };
  t.match(checkContext({ step: step(), target: kindTarget, env: none }), /^there is no current kube context \(no kubeconfig found: KUBECONFIG=.*absent\); target kind expects "kind-istio-runbook"\. No context in the kubeconfig matches "kind-istio-runbook" \(see: kubectl config get-contexts\); create the cluster first \(its steps are tagged provision\)/);
  const dangling = kubeconfig(dir, 'dangling', 'kind-istio-runbook', []);
  t.match(checkContext({ step: step(), target: kindTarget, env: { KUBECONFIG: dangling } }), /^the kube context "kind-istio-runbook" is not defined in read from KUBECONFIG=/);
  const kind = kubeconfig(dir, 'kind', 'kind-istio-runbook', ['kind-istio-runbook']);
  t.equal(checkContext({ step: step(), target: kindTarget, env: { KUBECONFIG: kind } }), undefined);
  t.match(checkContext({ step: step(), target: kindTarget, kubeContext: 'kind-other', env: { KUBECONFIG: kind } }), /but the run was started with --context kind-other \(a step switched it\)/);
  const eks = { name: 'eks', context: '*istio-runbook*', requires: [] };
  const two = kubeconfig(dir, 'two', 'prod-eu', ['a@istio-runbook.eksctl.io', 'b@istio-runbook.eksctl.io', 'prod-eu']);
  t.match(checkContext({ step: step(), target: eks, env: { KUBECONFIG: two } }), /Contexts that match: a@istio-runbook\.eksctl\.io, b@istio-runbook\.eksctl\.io; switch with: kubectl config use-context NAME/);
  const prodOnly = kubeconfig(dir, 'prod-only', 'prod-eu', ['prod-eu']);
  t.match(checkContext({ step: step(), target: eks, env: { KUBECONFIG: prodOnly } }), /No context in the kubeconfig matches "\*istio-runbook\*"/);
  writeFileSync(join(dir, 'broken'), 'clusters: [unclosed');
  t.match(checkContext({ step: step(), target: kindTarget, env: { KUBECONFIG: join(dir, 'broken') } }), /^cannot read kubeconfig .*broken: /);
});

t.test('the --context overlay selects the context without touching the user\'s files', async (t) => {
  const dir = tempDir(t);
  const user = kubeconfig(dir, 'config', 'prod-eu', ['prod-eu', 'kind-istio-runbook']);
  const before = readFileSync(user, 'utf8');
  const overlay = createContextOverlay('kind-istio-runbook', { KUBECONFIG: user });
  t.equal(readKubeconfig(overlay.env).currentContext, 'kind-istio-runbook');
  t.equal(overlay.env.KUBECONFIG, `${overlay.path}:${user}`);
  t.same(overlay.close(), [], 'nothing to keep');
  t.throws(() => readFileSync(overlay.path), 'removed');
  t.equal(readFileSync(user, 'utf8'), before);

  const kept = createContextOverlay('kind-istio-runbook', { KUBECONFIG: user });
  t.teardown(() => rmSync(dirname(kept.path), { recursive: true, force: true }));
  writeFileSync(kept.path, stringify({ contexts: [{ name: 'kind-new', context: { cluster: 'kind-new', user: 'kind-new' } }], clusters: [], users: [], 'current-context': 'kind-new' }));
  const notes = kept.close();
  t.match(notes[0], /added kube context\(s\) kind-new to the run's kubeconfig .* \(kept/);
  t.ok(readFileSync(kept.path, 'utf8'), 'kept for the user');
  t.same(kept.close(), notes, 'closing twice is harmless');
});

/** A fixture runbook: a provision step, a kubectl step, a wait directive, and a cleanup step that leaves a marker. */
function fixtureRunbook(dir: string): void {
  writeFiles(dir, {
    'book/runbook.yaml': `title: guard\ntargets:\n  kind: { context: ${CONTEXT} }\n`,
    'book/01.md': [
      '# Guarded',
      '',
      '```bash run id=create-cluster tags=provision',
      'echo "provisioning with $(kubectl config current-context)"',
      '```',
      '',
      '```bash run id=list-namespaces',
      'kubectl config current-context',
      'kubectl get namespaces -o name',
      '```',
      '',
      '<!-- runbook: wait rollout namespace=default id=rollout -->',
      '',
      '```bash cleanup id=mark',
      'touch "$RUNBOOK_ROOT/cleanup-ran"',
      '```',
      '',
    ].join('\n'),
  });
}

t.test('the CLI refuses a step on the wrong cluster with exit 2, after the provision step, without cleanup', async (t) => {
  const fixture = await kubeFixture(t, 'prod-eu');
  const kind = fixture.server.kubeconfigPath(CONTEXT);
  const dir = tempDir(t);
  fixtureRunbook(dir);
  const r = await runCli(['run', 'book', '--report', 'run.json'], { cwd: dir, env: { KUBECONFIG: `${fixture.kubeconfig}:${kind}`, HOME: dir } });
  t.equal(r.code, 2, r.out);
  const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  t.same(report.steps.filter((s: { status: string }) => s.status !== 'not run').map((s: { id: string; status: string }) => [s.id, s.status]), [['create-cluster', 'passed']], 'only the provision step ran');
  t.equal(report.steps[0].output, 'provisioning with prod-eu\n');
  t.same(report.facts, {}, 'the cluster the guard refused was not asked for facts either');
  t.match(r.out, /refusing to run list-namespaces \(book\/01\.md:7\): the current kube context is "prod-eu", but target kind expects "kind-istio-runbook"\. .*kubectl config use-context kind-istio-runbook\s+\(or run with --context kind-istio-runbook\)/);
  t.notMatch(r.out, /kube-system/, 'the kubectl step did not run');
  t.throws(() => readFileSync(join(dir, 'book', 'cleanup-ran')), 'cleanup did not run');
});

t.test('--context makes every step and directive use that context, and the user kubeconfig stays as it was', async (t) => {
  const fixture = await kubeFixture(t, CONTEXT);
  const prod = fixture.server.kubeconfigPath('prod-eu');
  fixture.server.store.create(makeDeployment('default', 'web'));
  const dir = tempDir(t);
  fixtureRunbook(dir);
  const kubeconfigList = `${prod}:${fixture.kubeconfig}`;
  const before = readFileSync(prod, 'utf8');
  const r = await runCli(['run', 'book', '--context', CONTEXT, '--report', 'run.json'], { cwd: dir, env: { KUBECONFIG: kubeconfigList, HOME: dir } });
  t.equal(r.code, 0, r.out);
  const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const output = (id: string) => report.steps.find((s: { id: string }) => s.id === id).output;
  t.equal(output('create-cluster'), `provisioning with ${CONTEXT}\n`);
  t.match(output('list-namespaces'), new RegExp(`^${CONTEXT}\n(namespace/.*\n)*namespace/kube-system\n`), 'real kubectl reached the test server through the run\'s kubeconfig');
  t.equal(readFileSync(prod, 'utf8'), before, 'the user kubeconfig is unchanged');
  t.equal(report.steps.find((s: { id: string }) => s.id === 'rollout').status, 'passed');
  t.same(report.facts, { kubernetesVersion: 'v1.33.1', nodes: 0 }, 'facts from the cluster');
  t.ok(readFileSync(join(dir, 'book', 'cleanup-ran')) !== undefined, 'cleanup ran');
});
