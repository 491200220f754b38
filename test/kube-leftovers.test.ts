// The leftovers check in real runs (the real CLI, bash and kubectl against the API test server
// with Istio's CRDs): a chapter that forgets to delete a VirtualService fails on its last step
// with that object named; with the deletion, or the object declared in `leaves:`, it passes; warn
// only notes; labels left on namespaces and namespaces left with their contents are reported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { istioCrds, makeNode, startKubeApiServer } from './support/kube/index.ts';
import { CONTEXT } from './support/kube-harness.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const VS = (name: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\nspec:\n  hosts: [${name}]\n  http:\n  - route:\n    - destination: { host: ${name}, subset: v1 }\n`;
const step = (id: string, code: string) => ['```bash run id=' + id, code, '```', ''].join('\n');

async function book(t: Parameters<typeof tempDir>[0], chapter: string, options: { mode?: string; frontMatter?: string } = {}) {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  for (const crd of istioCrds()) server.store.create(crd);
  server.store.create(makeNode('istio-runbook-control-plane'));
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\nleftovers: ${options.mode ?? 'fail'}\n`,
    'book/01-routing.md': `${options.frontMatter ? `---\n${options.frontMatter}\n---\n` : ''}# Routing\n\n${chapter}`,
    'book/02-next.md': `# Next\n\n${step('next', 'echo next chapter ran')}`,
  });
  const run = (...args: string[]) => runCli(['run', 'book', '--report', 'run.json', ...args], { cwd: dir, env: { KUBECONFIG: server.kubeconfigPath(CONTEXT), HOME: dir } });
  const report = () => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { steps: Array<{ id: string; status: string; message?: string; data?: { leftovers?: { objects: unknown[] } } }>; notes: string[] };
  return { server, run, report };
}

const routing = (cleanup: string) =>
  step('apply-routes', `kubectl apply -f - <<'EOF'\n${VS('reviews')}---\n${VS('ratings')}EOF`) + step('clean-up', cleanup);

t.test('a chapter that forgets to delete a VirtualService fails on its last step, naming it', async (t) => {
  const { run, report } = await book(t, routing('kubectl delete virtualservice ratings'));
  const result = await run();
  t.equal(result.code, 1, result.out);
  const failed = report().steps.find((s) => s.id === 'clean-up')!;
  t.equal(failed.status, 'failed');
  t.equal(failed.message, [
    '01-routing.md left 1 thing behind on the cluster (leftovers: fail):',
    '  NAMESPACE   NAME',
    '  default     virtualservice.networking.istio.io/reviews',
    'Delete it in the chapter\'s clean-up, or, if a later chapter needs it, declare it in the chapter\'s front matter: leaves: ["VirtualService default/reviews"]',
  ].join('\n'));
  t.match(result.out, /virtualservice\.networking\.istio\.io\/reviews/, 'on the terminal too');
  t.match(report().steps.find((s) => s.id === 'next'), { status: 'not run' }, 'the run stopped there: the next chapter did not run');
});

t.test('the same chapter with the deletion passes, and so does one that declares what it leaves', async (t) => {
  const clean = await book(t, routing('kubectl delete virtualservice ratings reviews'));
  const passed = await clean.run();
  t.equal(passed.code, 0, passed.out);
  t.same(clean.report().steps.find((s) => s.id === 'clean-up')!.data?.leftovers?.objects, []);
  t.equal(clean.report().steps.find((s) => s.id === 'next')!.status, 'passed');

  const declared = await book(t, routing('kubectl delete virtualservice ratings'), { frontMatter: 'leaves: ["VirtualService default/reviews"]' });
  const kept = await declared.run();
  t.equal(kept.code, 0, kept.out);
});

t.test('warn notes leftovers without failing; a run of part of a chapter is not judged', async (t) => {
  const warned = await book(t, routing('kubectl delete virtualservice ratings'), { mode: 'warn' });
  const result = await warned.run();
  t.equal(result.code, 0, result.out);
  t.ok(warned.report().notes.some((n) => n.startsWith('leftovers: 01-routing.md left 1 thing behind on the cluster (leftovers: warn)')), warned.report().notes.join('\n'));

  const partial = await book(t, routing('kubectl delete virtualservice ratings'));
  const only = await partial.run('--only', 'apply-routes');
  t.equal(only.code, 0, 'the chapter did not run in full, so it is not judged');
});

t.test('a label left on a namespace, and a namespace left with what is in it', async (t) => {
  const { run, report } = await book(t, [
    step('inject', 'kubectl label namespace default istio-injection=enabled'),
    step('scratch', 'kubectl create namespace scratch && kubectl -n scratch create configmap notes --from-literal=a=b'),
  ].join(''));
  const result = await run();
  t.equal(result.code, 1, result.out);
  const message = report().steps.find((s) => s.id === 'scratch')!.message ?? '';
  t.match(message, /^01-routing\.md left 2 things behind on the cluster/);
  t.match(message, /  -\s+namespace\/scratch \(and the 1 object in it\)/);
  t.match(message, /  -\s+namespace\/default: label istio-injection=enabled added/);
  t.match(message, /leaves: \["Namespace scratch", "Namespace default label istio-injection"\]/);
});
