// Preflight and `runbook doctor`: missing tools, the Docker daemon, AWS credentials, and the
// cluster (context, reachability, Ready nodes, or not needed yet because the plan creates it).
// Real processes throughout: `npm start` itself, the real CLI, stand-in tools as shell scripts.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import t from 'tap';
import { which } from '../engine/commands/preflight.ts';
import { PROJECT, runCli } from './support/cli.ts';
import { childEnv } from './support/child-env.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { makeNode } from './support/kube/index.ts';
import { CONTEXT, kubeFixture } from './support/kube-harness.ts';

/** A PATH with node and npm but none of the given tools, wherever this machine keeps them. */
function pathWithout(t: Parameters<typeof tempDir>[0], tools: string[]): { path: string; bin: string } {
  const bin = join(tempDir(t, 'runbook-bin-'), 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const npm = which('npm');
  if (npm) symlinkSync(npm, join(bin, 'npm'));
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !tools.some((tool) => existsSync(join(dir, tool))));
  return { path: [bin, ...dirs].join(delimiter), bin };
}

function tool(bin: string, name: string, script: string): void {
  writeFileSync(join(bin, name), `#!/bin/bash\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
}

t.test('npm start on a machine without docker and kind stops at once with exit 2, naming both', async (t) => {
  const { path } = pathWithout(t, ['docker', 'kind']);
  const home = tempDir(t);
  const env: NodeJS.ProcessEnv = childEnv({ PATH: path, HOME: home, NO_COLOR: '1', CI: '1' });
  delete env.KUBECONFIG;
  // The timer below is only a guard against a hang: a run killed by it has no exit code (null),
  // so exit 2 shows the command stopped by itself. How fast it stops is measured by the bench.
  const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('npm', ['start'], { cwd: PROJECT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, out })));
  });
  t.equal(result.code, 2, result.out);
  t.match(result.out, /cannot start on target kind; nothing was run/);
  t.match(result.out, /✖ docker is not installed \(needed by target kind\)\n\s+→ install Docker/);
  t.match(result.out, /✖ kind is not installed \(needed by target kind\)\n\s+→ install kind/);
  t.notMatch(result.out, /cluster.*not reachable/, 'the plan creates the cluster: reachability is not required');
});

t.test('doctor: a stopped Docker daemon and AWS credentials that do not work are problems, with fixes', async (t) => {
  const { path, bin } = pathWithout(t, ['docker', 'kind', 'aws', 'eksctl']);
  tool(bin, 'docker', 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1');
  tool(bin, 'kind', 'exit 0');
  tool(bin, 'eksctl', 'exit 0');
  tool(bin, 'aws', 'echo "Unable to locate credentials. You can configure credentials by running \\"aws configure\\"." >&2; exit 255');
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'targets:\n  kind: { context: kind-demo, requires: [docker, kind] }\n  eks: { context: "*demo*", requires: [eksctl, aws] }\n',
    'book/01.md': '```bash run id=create tags=provision\ntrue\n```\n',
  });
  const r = await runCli(['doctor', 'book'], { cwd: dir, env: { PATH: path, HOME: dir, KUBECONFIG: '' } });
  t.equal(r.code, 2, r.out);
  t.match(r.out, /target kind \(kube context kind-demo\):\n {2}✔ docker .*\n {2}✔ kind .*\n {2}- cluster: there is no current kube context .*the plan creates the cluster \(steps tagged provision\), so it is not required yet/);
  t.match(r.out, /✖ the Docker daemon is not reachable: Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker\.sock\. Is the docker daemon running\?\n\s+→ start Docker/);
  t.match(r.out, /✖ AWS credentials do not work: Unable to locate credentials\. .*\n\s+→ configure credentials \(aws configure, aws sso login, or AWS_PROFILE=NAME\), then check with: aws sts get-caller-identity/);

  tool(bin, 'docker', '[ "$1 $2" = "info --format" ] && echo 28.2.2');
  tool(bin, 'aws', '[ "$1 $2" = "sts get-caller-identity" ] && echo arn:aws:iam::111122223333:user/me');
  const fixed = await runCli(['doctor', 'book'], { cwd: dir, env: { PATH: path, HOME: dir, KUBECONFIG: '' } });
  t.equal(fixed.code, 0, fixed.out);
  t.match(fixed.out, /✔ Docker daemon 28\.2\.2/);
  t.match(fixed.out, /✔ AWS credentials work \(aws sts get-caller-identity\)/);
  t.notMatch(fixed.out, /111122223333/, 'the account id is not printed');
});

t.test('doctor against a reachable cluster shows its version and Ready nodes', async (t) => {
  const fixture = await kubeFixture(t);
  fixture.server.store.create(makeNode('istio-runbook-control-plane'));
  fixture.server.store.create(makeNode('istio-runbook-worker', { ready: false }));
  const dir = tempDir(t);
  writeFiles(dir, { 'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\n`, 'book/01.md': '```bash run id=a\ntrue\n```\n' });
  const r = await runCli(['doctor', 'book', '--target', 'kind'], { cwd: dir, env: { KUBECONFIG: fixture.kubeconfig, HOME: dir } });
  t.equal(r.code, 0, r.out);
  t.match(r.out, new RegExp(`✔ cluster ${CONTEXT} \\(${fixture.server.url.replace(/\./g, '\\.')}\\): Kubernetes v1\\.33\\.1, 1/2 nodes Ready\\n {2}ready`));
});

t.test('run stops before any step when the cluster it needs is not there, and does not when the plan creates it', async (t) => {
  const fixture = await kubeFixture(t);
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\n`,
    'book/01.md': '```bash run id=touch\ntouch "$RUNBOOK_ROOT/ran"\n```\n',
  });
  const kubeconfig = join(dir, 'kubeconfig');
  copyFileSync(fixture.kubeconfig, kubeconfig); // close() below removes the server's copy
  const env = { KUBECONFIG: kubeconfig, HOME: dir };

  const noNodes = await runCli(['run', 'book'], { cwd: dir, env });
  t.equal(noNodes.code, 2, noNodes.out);
  t.match(noNodes.out, new RegExp(`✖ no node of ${CONTEXT} is Ready \\(0/0\\)\\n\\s+→ see why with: kubectl --context ${CONTEXT} describe nodes`));

  const wrong = await runCli(['run', 'book', '--context', 'prod-eu'], { cwd: dir, env });
  t.equal(wrong.code, 2);
  t.match(wrong.out, /✖ --context prod-eu does not match target kind's context "kind-istio-runbook"\n\s+→ pass a context that matches "kind-istio-runbook", or choose the target with --target/);

  const undefinedContext = await runCli(['run', 'book'], { cwd: dir, env: { ...env, KUBECONFIG: join(dir, 'absent') } });
  t.equal(undefinedContext.code, 2);
  t.match(undefinedContext.out, /✖ kube context: there is no current kube context \(no kubeconfig found: KUBECONFIG=.*absent\); target kind expects "kind-istio-runbook"\n\s+→ No context in the kubeconfig matches/);

  await fixture.server.close();
  const down = await runCli(['run', 'book'], { cwd: dir, env });
  t.equal(down.code, 2, 'stopped by itself (a hang would end with no exit code)');
  t.match(down.out, new RegExp(`✖ the cluster of kube context ${CONTEXT} \\(http://127\\.0\\.0\\.1:\\d+\\) is not reachable: .*ECONNREFUSED`));
  t.notOk(existsSync(join(dir, 'book', 'ran')), 'no step ran');

  writeFiles(dir, { 'book/01.md': '```bash run id=create tags=provision\ntouch "$RUNBOOK_ROOT/ran"\n```\n' });
  const creates = await runCli(['run', 'book'], { cwd: dir, env });
  t.equal(creates.code, 0, creates.out);
  t.ok(existsSync(join(dir, 'book', 'ran')), 'the provision step ran: the plan creates the cluster');
});

t.test('local prerequisites: bash version and a browser for screenshot steps', async (t) => {
  const { bashProblem, browserProblem } = await import('../engine/commands/local-prerequisites.ts');
  t.same(bashProblem(), [], 'this machine has bash ≥ 4.2');
  const dir = tempDir(t);
  writeFileSync(join(dir, 'shot.md'), '<!-- runbook: screenshot url=http://127.0.0.1:1/ file=x.png -->\n');
  const { loadRunbook } = await import('../engine/read/index.ts');
  const { makePlan } = await import('../engine/plan.ts');
  const plan = makePlan(loadRunbook(join(dir, 'shot.md')), {});
  const saved = process.env.RUNBOOK_CHROMIUM;
  process.env.RUNBOOK_CHROMIUM = '/nonexistent/chrome';
  t.teardown(() => (saved === undefined ? delete process.env.RUNBOOK_CHROMIUM : (process.env.RUNBOOK_CHROMIUM = saved)));
  const problems = await browserProblem(plan);
  t.equal(problems.length, 1);
  t.match(problems[0].fix, /apt-get install chromium/);
  const r = await runCli(['run', 'shot.md'], { cwd: dir, env: { RUNBOOK_CHROMIUM: '/nonexistent/chrome' } });
  t.equal(r.code, 2, 'the run stops before step 1');
  t.match(r.out, /no Chromium or Chrome for the screenshot steps/);
});
