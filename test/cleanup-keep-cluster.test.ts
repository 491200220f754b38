// Cost safety: a run of the tutorial that stops after creating its cluster still deletes it on
// the way out, unless KEEP_CLUSTER=1; a run that reaches chapter 99 deletes it exactly once; a
// cluster that existed before the run is never deleted; and a run refused by the context guard
// after creating the cluster still deletes it.
// The tutorial's own chapters 00, 01 and 99 run through the real `runbook` command, with stand-ins
// for kind, eksctl, aws, kubectl, docker and istioctl on PATH that keep their "clusters" as files
// and record every call.
import t from 'tap';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT, runCli } from './support/cli.ts';
import { filesUnder, tempDir } from './support/tmp.ts';

/** The stand-ins. FAKE_STATE holds one file per cluster, FAKE_LOG one line per call. */
const TOOLS: Record<string, string> = {
  kind: `
echo "kind $*" >> "$FAKE_LOG"
mkdir -p "$FAKE_STATE/kind"
case "$1 $2" in
  "get clusters") ls "$FAKE_STATE/kind" ;;
  "get nodes") [ -e "$FAKE_STATE/kind/$4" ] && echo "$4-control-plane" ;;
  "create cluster")
    name=$4
    if [ -e "$FAKE_STATE/kind/$name" ]; then echo "ERROR: failed to create cluster: node(s) already exist for a cluster with the name \\"$name\\"" >&2; exit 1; fi
    touch "$FAKE_STATE/kind/$name"
    write_kubeconfig "kind-$name"
    echo "Set kubectl context to \\"kind-$name\\"" ;;
  "delete cluster")
    echo "Deleting cluster \\"$4\\" ..."
    rm -f "$FAKE_STATE/kind/$4" ;;
esac`,
  eksctl: `
echo "eksctl $*" >> "$FAKE_LOG"
mkdir -p "$FAKE_STATE/eks"
case "$1 $2" in
  "create cluster")
    name=$(sed -n 's/^  name: //p' "$4")
    touch "$FAKE_STATE/eks/$name"
    write_kubeconfig "\${FAKE_EKS_CONTEXT:-tester@$name.us-west-2.eksctl.io}"
    echo "[✔]  EKS cluster \\"$name\\" in \\"us-west-2\\" region is ready" ;;
  "delete cluster")
    name=istio-runbook
    [ "$3" = "--name" ] && name=$4
    rm -f "$FAKE_STATE/eks/$name"
    echo "[✔]  all cluster resources were deleted" ;;
esac`,
  aws: `
echo "aws $*" >> "$FAKE_LOG"
case "$1 $2" in
  "sts get-caller-identity") echo "arn:aws:iam::111122223333:user/tester" ;;
  "cloudformation describe-stacks")
    stack=$(printf '%s\\n' "$@" | sed -n '/^--stack-name$/{n;p;}')
    name=\${stack#eksctl-}; name=\${name%-cluster}
    if [ -n "\${FAKE_AWS_THROTTLED:-}" ]; then echo "An error occurred (Throttling) when calling the DescribeStacks operation (reached max retries: 2): Rate exceeded" >&2; exit 254; fi
    if [ -e "$FAKE_STATE/eks/$name" ]; then echo '{"Stacks":[{}]}'; else echo "An error occurred (ValidationError): Stack with id $stack does not exist" >&2; exit 254; fi ;;
esac`,
  kubectl: `
echo "kubectl $*" >> "$FAKE_LOG"
case "$*" in
  wait*) [ -n "\${FAKE_FAIL_WAIT:-}" ] && { echo "error: timed out waiting for the condition on nodes/$FAKE_NODE"; exit 1; }
         echo "node/$FAKE_NODE condition met" ;;
  "get nodes") printf 'NAME STATUS ROLES AGE VERSION\\n%s Ready %s 45s %s\\n' "$FAKE_NODE" "$FAKE_ROLE" "$FAKE_VERSION" ;;
  "get pods,services -o name") echo "service/kubernetes" ;;
esac`,
  istioctl: `
echo "istioctl $*" >> "$FAKE_LOG"
echo "✔ Uninstall complete"`,
  docker: `
echo "docker $*" >> "$FAKE_LOG"
case "$1 $2" in
  "exec -i") [ -n "\${FAKE_DOCKER_EXEC_FAIL:-}" ] && { echo "Error response from daemon: No such container: $3" >&2; exit 1; }
             cat > "$FAKE_STATE/stdin-of-$3" ;; # what a node would have received
  "exec "*) ;;
  *) echo "28.0.1" ;;
esac`,
};

const PRELUDE = `#!/usr/bin/env bash
# Stand-in for a real tool, written by test/cleanup-keep-cluster.test.ts.
write_kubeconfig() {
  cat > "$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $1
  cluster: { server: "https://127.0.0.1:1" }
contexts:
- name: $1
  context: { cluster: $1, user: $1 }
users:
- name: $1
  user: { token: stand-in }
current-context: $1
EOF
}
`;

interface World {
  dir: string;
  log: () => string[];
  clusters: (kind: 'kind' | 'eks') => string[];
  run: (target: 'kind' | 'eks', env?: Record<string, string>, args?: string[]) => ReturnType<typeof runCli>;
}

function world(t: Parameters<typeof tempDir>[0]): World {
  const dir = tempDir(t, 'runbook-cost-');
  mkdirSync(join(dir, 'runbook'), { recursive: true });
  for (const file of ['runbook.yaml', '00-prerequisites.md', '01-cluster.md', '99-cleanup.md']) cpSync(join(PROJECT, 'runbook', file), join(dir, 'runbook', file));
  cpSync(join(PROJECT, 'manifests'), join(dir, 'manifests'), { recursive: true });
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const [tool, body] of Object.entries(TOOLS)) {
    writeFileSync(join(bin, tool), PRELUDE + body + '\n');
    chmodSync(join(bin, tool), 0o755);
  }
  const state = join(dir, 'state');
  mkdirSync(state);
  const logFile = join(dir, 'calls.log');
  writeFileSync(logFile, '');
  return {
    dir,
    log: () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean),
    clusters: (kind) => (existsSync(join(state, kind)) ? readdirSync(join(state, kind)) : []),
    run: (target, env = {}, args = []) => {
      const nodes =
        target === 'kind'
          ? { FAKE_NODE: 'istio-runbook-control-plane', FAKE_ROLE: 'control-plane', FAKE_VERSION: 'v1.36.1' }
          : { FAKE_NODE: 'ip-192-168-12-34.us-west-2.compute.internal', FAKE_ROLE: '<none>', FAKE_VERSION: 'v1.35.2-eks-6f2c8d1' };
      return runCli(['run', 'runbook', '--target', target, ...args], {
        cwd: dir,
        timeoutMs: 120_000,
        env: { PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: join(dir, 'kubeconfig'), FAKE_STATE: state, FAKE_LOG: logFile, ...nodes, ...env },
      });
    },
  };
}

/** What a step printed, from the run's JSON report (report.json in the world's directory). */
function stepOutput(w: World, id: string): string | undefined {
  const report = JSON.parse(readFileSync(join(w.dir, 'report.json'), 'utf8')) as { steps: { id: string; output?: string }[] };
  return report.steps.find((s) => s.id === id)?.output;
}

const deletes = (log: string[]) => log.filter((l) => /^(kind|eksctl) delete cluster/.test(l));

t.test('kind: a run that fails after creating the cluster deletes it at the end', async (t) => {
  const w = world(t);
  const r = await w.run('kind', { FAKE_FAIL_WAIT: '1' });
  t.equal(r.code, 1, r.out);
  t.match(r.out, /FAIL \[\d+\/\d+\] kind-nodes-ready/);
  t.same(deletes(w.log()), ['kind delete cluster --name istio-runbook'], 'deleted once, by the cleanup');
  t.same(w.clusters('kind'), [], 'no cluster left');
  t.match(r.out, /cleanup kind-delete-cluster-left-behind:\n  the run ended before chapter 99 deleted kind cluster istio-runbook, so it is deleted now \(run with KEEP_CLUSTER=1 to keep it/, 'the closing lines say what happened and how to keep it');
});

t.test('kind: KEEP_CLUSTER=1 keeps the cluster of a failed run, and says how to delete it', async (t) => {
  const w = world(t);
  const r = await w.run('kind', { FAKE_FAIL_WAIT: '1', KEEP_CLUSTER: '1' });
  t.equal(r.code, 1, r.out);
  t.same(deletes(w.log()), [], 'nothing deleted');
  t.same(w.clusters('kind'), ['istio-runbook']);
  t.match(r.out, /KEEP_CLUSTER=1: keeping kind cluster istio-runbook; delete it with: kind delete cluster --name istio-runbook/);
});

t.test('kind: a run that reaches chapter 99 deletes the cluster there, and the cleanup finds nothing left', async (t) => {
  const w = world(t);
  const r = await w.run('kind');
  t.equal(r.code, 0, r.out);
  t.match(r.out, /PASS \[\d+\/\d+\] kind-delete-cluster /);
  t.match(r.out, /PASS \[cleanup\] kind-delete-cluster-left-behind/);
  t.same(deletes(w.log()), ['kind delete cluster --name istio-runbook'], 'one delete, from chapter 99');
  t.same(w.clusters('kind'), []);
});

for (const [target, name, create] of [['kind', 'kind', 'kind create'], ['eks', 'EKS', 'eksctl create']] as const) {
  t.test(`${target}: a cluster that existed before the run stops it before ${create} cluster, and is left alone`, async (t) => {
    const w = world(t);
    mkdirSync(join(w.dir, 'state', target), { recursive: true });
    writeFileSync(join(w.dir, 'state', target, 'istio-runbook'), '');
    const r = await w.run(target);
    t.equal(r.code, 1, r.out);
    t.match(r.out, new RegExp(`FAIL \\[\\d+/\\d+\\] ${target}-note-new-cluster`));
    t.match(r.out, new RegExp(`${name} cluster istio-runbook exists already; this run creates its own cluster, so it stops here and leaves that one alone\\.\\n\\s*Delete it \\(${create.split(' ')[0]} delete cluster --name istio-runbook`));
    t.notOk(w.log().some((l) => l.startsWith(create)), `${create} cluster never ran`);
    t.same(deletes(w.log()), []);
    t.same(w.clusters(target), ['istio-runbook']);
    t.match(r.out, `${name} cluster istio-runbook was not created by this run: left alone`);
  });
}

t.test('kind: with DOCKERHUB_USERNAME and DOCKERHUB_TOKEN the node\'s kubelet gets them, and the token is nowhere else', async (t) => {
  const token = 'dckr_pat_Stand1nT0kenValue';
  const auth = Buffer.from(`tester:${token}`).toString('base64');
  const w = world(t);
  const r = await w.run('kind', { DOCKERHUB_USERNAME: 'tester', DOCKERHUB_TOKEN: token, KEEP_CLUSTER: '1', FAKE_FAIL_WAIT: '1' }, ['--report', 'report.json']);
  t.equal(r.code, 1, r.out); // stops at the nodes' wait, so the cluster (kept) still has its node
  t.match(r.out, /PASS \[\d+\/\d+\] kind-dockerhub-credentials/);
  t.equal(stepOutput(w, 'kind-dockerhub-credentials'), 'the kind node pulls from Docker Hub with an account\n');
  const config = JSON.parse(readFileSync(join(w.dir, 'state', 'stdin-of-istio-runbook-control-plane'), 'utf8'));
  t.same(config, { auths: { 'https://index.docker.io/v1/': { auth } } }, 'a docker config.json with the account, on the node\'s standard input');
  const calls = w.log().filter((l) => l.startsWith('docker exec'));
  t.same(calls, ["docker exec -i istio-runbook-control-plane sh -c umask 077 && cat > /var/lib/kubelet/config.json", 'docker exec istio-runbook-control-plane systemctl restart kubelet']);
  const leaks = [...filesUnder(w.dir)].filter(([f, text]) => !f.startsWith(join(w.dir, 'state')) && [token, auth].some((secret) => text.includes(secret))).map(([f]) => f);
  t.same(leaks, [], 'no file the run leaves (its report, the saved state for --from) holds the token or the auth string');
  t.notOk(r.out.includes(token) || r.out.includes(auth), 'nor its output');
});

t.test('kind: a node that could not be given the credentials fails the step', async (t) => {
  const w = world(t);
  const r = await w.run('kind', { DOCKERHUB_USERNAME: 'tester', DOCKERHUB_TOKEN: 'dckr_pat_Stand1nT0kenValue', FAKE_DOCKER_EXEC_FAIL: '1' }, ['--report', 'report.json']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /FAIL \[\d+\/\d+\] kind-dockerhub-credentials/);
  t.equal(stepOutput(w, 'kind-dockerhub-credentials'), 'Error response from daemon: No such container: istio-runbook-control-plane\n', 'it stops at the first failure and never claims success');
  t.same(w.clusters('kind'), [], 'the cluster the run created is deleted on the way out');
});

t.test('kind: without Docker Hub credentials nothing is handed to the node', async (t) => {
  const w = world(t);
  const r = await w.run('kind', { DOCKERHUB_USERNAME: '', DOCKERHUB_TOKEN: '' }, ['--report', 'report.json']); // whatever the developer exported
  t.equal(r.code, 0, r.out);
  t.equal(stepOutput(w, 'kind-dockerhub-credentials'), 'the kind node pulls from Docker Hub without an account (set DOCKERHUB_USERNAME and DOCKERHUB_TOKEN to use one)\n');
  t.same(w.log().filter((l) => l.startsWith('docker exec')), []);
});

t.test('eks: when CloudFormation cannot say whether the cluster exists, the run stops and the cluster is not taken for its own', async (t) => {
  const w = world(t);
  const r = await w.run('eks', { FAKE_AWS_THROTTLED: '1' });
  t.equal(r.code, 1, r.out);
  t.match(r.out, /FAIL \[\d+\/\d+\] eks-note-new-cluster/);
  t.match(r.out, /cannot tell whether EKS cluster istio-runbook exists: An error occurred \(Throttling\)/);
  t.notOk(w.log().some((l) => l.startsWith('eksctl')), 'eksctl never ran: nothing created, nothing deleted');
  t.match(r.out, /EKS cluster istio-runbook was not created by this run: left alone/);
});

t.test('eks: a failed run deletes the cluster it created (load balancers included), KEEP_CLUSTER=1 keeps it', async (t) => {
  const w = world(t);
  const r = await w.run('eks', { FAKE_FAIL_WAIT: '1' });
  t.equal(r.code, 1, r.out);
  t.match(r.out, /FAIL \[\d+\/\d+\] eks-nodes-ready/);
  t.same(deletes(w.log()), ['eksctl delete cluster --name istio-runbook --region us-west-2 --wait --force']);
  t.same(w.clusters('eks'), []);
  t.match(r.out, /the run ended before chapter 99 deleted EKS cluster istio-runbook, so it is deleted now, load balancers included/);

  const kept = world(t);
  const k = await kept.run('eks', { FAKE_FAIL_WAIT: '1', KEEP_CLUSTER: '1' });
  t.equal(k.code, 1, k.out);
  t.same(deletes(kept.log()), []);
  t.same(kept.clusters('eks'), ['istio-runbook']);
  t.match(k.out, /KEEP_CLUSTER=1: keeping EKS cluster istio-runbook, which costs money until you delete it with:\n\s+eksctl delete cluster --name istio-runbook --region us-west-2 --wait/);
});

t.test('eks: chapter 99 and the cleanup never both delete', async (t) => {
  const w = world(t);
  const r = await w.run('eks');
  t.equal(r.code, 0, r.out);
  t.same(deletes(w.log()), ['eksctl delete cluster -f manifests/eks-cluster.yaml --wait'], 'one delete, from chapter 99');
  t.same(w.clusters('eks'), []);
});

t.test('eks: a run the context guard refuses after creating the cluster still deletes it', async (t) => {
  const w = world(t);
  const r = await w.run('eks', { FAKE_EKS_CONTEXT: 'tester@elsewhere.us-west-2.eksctl.io' });
  t.equal(r.code, 2, r.out);
  t.match(r.out, /refusing to run eks-nodes-ready/);
  t.same(deletes(w.log()), ['eksctl delete cluster --name istio-runbook --region us-west-2 --wait --force'], 'the provisioning cleanup ran despite the refusal');
  t.same(w.clusters('eks'), []);
  t.notOk(w.log().some((l) => l.startsWith('kubectl')), 'nothing touched the cluster through the refused context');
});
