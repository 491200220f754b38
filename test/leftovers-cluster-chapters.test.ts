// The leftovers check and the chapters that create and delete the cluster (the tutorial's 01 and
// 99), in real runs (the real CLI, bash and kubectl against two API test servers): before a chapter
// that creates the target's cluster, the kubeconfig may still select another cluster, which is
// never looked at, so the chapter is not judged; after a chapter that deletes the cluster (its
// context goes with it) there is nothing to judge and nothing to note.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeNamespace, makeNode, startKubeApiServer } from './support/kube/index.ts';
import { CONTEXT } from './support/kube-harness.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const step = (id: string, code: string, flags = '') => ['```bash run id=' + id + (flags ? ` ${flags}` : ''), code, '```', ''].join('\n');

interface Report { status: string; notes: string[]; steps: Array<{ id: string; status: string; message?: string }> }

async function clusters(t: Parameters<typeof tempDir>[0]) {
  // Someone else's cluster, selected by the kubeconfig when the run starts.
  const other = await startKubeApiServer();
  t.teardown(() => other.close());
  other.store.create(makeNode('other-node'));
  other.store.create(makeNamespace('team-a'));
  // The target's cluster, which the first chapter "creates" (its context appears).
  const target = await startKubeApiServer();
  t.teardown(() => target.close());
  target.store.create(makeNode('istio-runbook-control-plane'));
  target.store.create(makeNamespace('local-path-storage'));
  return { otherConfig: other.kubeconfigPath('docker-desktop'), targetConfig: target.kubeconfigPath(CONTEXT), requests: () => other.store.requests };
}

async function run(dir: string, env: Record<string, string>) {
  const result = await runCli(['run', 'book', '--report', 'run.json'], { cwd: dir, env: { HOME: dir, ...env } });
  return { ...result, report: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Report };
}

t.test('a chapter that creates the cluster is not judged, and the cluster the kubeconfig selected before is never read', async (t) => {
  const { otherConfig, targetConfig, requests } = await clusters(t);
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\nleftovers: fail\n`,
    'book/01-cluster.md': [
      '# Cluster\n',
      step('note-new-cluster', 'echo "no cluster yet"', 'tags=provision'),
      // What `kind create cluster` does to the session: a kubeconfig that selects the new cluster.
      step('create-cluster', `export KUBECONFIG=${targetConfig}`, 'tags=provision'),
      step('get-nodes', 'kubectl get nodes -o name'),
    ].join('\n'),
    'book/02-next.md': `# Next\n\n${step('next', 'kubectl get namespace local-path-storage -o name')}`,
  });
  const before = requests().length;
  const result = await run(dir, { KUBECONFIG: otherConfig });
  t.equal(result.code, 0, result.out);
  t.equal(result.report.steps.find((s) => s.id === 'get-nodes')?.status, 'passed', 'the cluster\'s own namespaces are not leftovers of the chapter');
  t.notMatch(result.out, /left \d+ things? behind/);
  t.equal(requests().length, before, 'nothing was asked of the other cluster');
});

t.test('a chapter that deletes the cluster ends without a leftovers note', async (t) => {
  const { targetConfig } = await clusters(t);
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\nleftovers: fail\n`,
    'book/99-cleanup.md': [
      '# Cleanup\n',
      step('scratch', 'kubectl create namespace scratch && kubectl delete namespace scratch'),
      // What `kind delete cluster` does to the kubeconfig: the context goes, and no context is current.
      step('delete-cluster', `kubectl config delete-context ${CONTEXT} && kubectl config unset current-context`),
    ].join('\n'),
  });
  const result = await run(dir, { KUBECONFIG: targetConfig });
  t.equal(result.code, 0, result.out);
  t.same(result.report.notes.filter((n) => /leftovers|left on the cluster/.test(n)), [], result.report.notes.join('\n'));
});
