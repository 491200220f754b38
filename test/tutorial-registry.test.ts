// The registry move (registry.istio.io and gcr.io/istio-release retire in December 2026): the
// tutorial's own steps, taken from runbook/ and run in bash against a stand-in release, point the
// samples at docker.io/istio (and change nothing when they already are), count what is left, and
// the pod check fails with a clear message when a pod still pulls from a retired registry.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { matchers } from '../engine/match/index.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const runbook = loadRunbook('runbook/');
const step = (id: string) => {
  const s = runbook.steps.find((x) => x.id === id);
  if (!s || s.type !== 'command') throw new Error(`no command step ${id}`);
  return s;
};

function bash(code: string, env: Record<string, string>) {
  return spawnSync('bash', ['--noprofile', '--norc', '-c', code], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8', timeout: 20_000 });
}

/** A stand-in for the unpacked release: samples as 1.31's name their images, or as a later release might. */
function release(t: Parameters<typeof tempDir>[0], hub: string): string {
  const home = tempDir(t, 'istio-home-');
  const image = (name: string) => `        image: ${hub}/examples-bookinfo-${name}:1.20.3\n`;
  writeFiles(home, {
    'samples/bookinfo/platform/kube/bookinfo.yaml': ['apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: productpage\n', image('productpage-v1'), '      - name: details\n', image('details-v1')].join(''),
    'samples/bookinfo/platform/kube/bookinfo-db.yaml': `containers:\n- name: mongodb\n  image: "${hub}/examples-bookinfo-mongodb:1.20.3"\n`,
    'samples/curl/curl.yaml': 'containers:\n- image: docker.io/curlimages/curl:8.16.0\n',
    'samples/bookinfo/README.md': '# eg: HUB="registry.istio.io/release"\n',
  });
  return home;
}

t.test('the samples of a release that names registry.istio.io are pointed at Docker Hub', async (t) => {
  const home = release(t, 'registry.istio.io/release');
  const before = bash(step('samples-no-retired-registry').code, { ISTIO_HOME: home });
  t.equal(before.stdout.trim(), '3', 'the check counts the retired image lines first');

  const rewrite = step('samples-use-docker-hub');
  const r = bash(rewrite.code, { ISTIO_HOME: home });
  t.equal(r.status, 0, r.stderr);
  t.ok(matchers[rewrite.expect!.match](rewrite.expect!.text, r.stdout).ok, `the step's own expectation passes:\n${r.stdout}`);
  t.match(readFileSync(join(home, 'samples/bookinfo/platform/kube/bookinfo-db.yaml'), 'utf8'), 'image: "docker.io/istio/examples-bookinfo-mongodb:1.20.3"');
  t.match(readFileSync(join(home, 'samples/bookinfo/README.md'), 'utf8'), 'HUB="registry.istio.io/release"', 'text that is not an image reference stays');
  t.same(readdirSync(join(home, 'samples/bookinfo/platform/kube')).sort(), ['bookinfo-db.yaml', 'bookinfo.yaml'], 'no backup files left');

  const after = bash(step('samples-no-retired-registry').code, { ISTIO_HOME: home });
  t.equal(after.stdout.trim(), '0');
});

t.test('on a release whose samples already name Docker Hub, the rewrite changes nothing', async (t) => {
  const home = release(t, 'docker.io/istio');
  const file = join(home, 'samples/bookinfo/platform/kube/bookinfo.yaml');
  const original = readFileSync(file, 'utf8');
  const r = bash(step('samples-use-docker-hub').code, { ISTIO_HOME: home });
  t.equal(r.status, 0, r.stderr);
  t.equal(readFileSync(file, 'utf8'), original);
  t.equal(bash(step('samples-no-retired-registry').code, { ISTIO_HOME: home }).stdout.trim(), '0');
});

t.test('the pod check fails, and says what to do, when a pod pulls from a retired registry', async (t) => {
  const dir = tempDir(t, 'fake-kubectl-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'kubectl'), '#!/usr/bin/env bash\ncat "$FAKE_PODS"\n');
  chmodSync(join(bin, 'kubectl'), 0o755);
  const pods = join(dir, 'pods.txt');
  const check = step('bookinfo-no-retired-registry');
  t.ok(check.hidden, 'an engine check, not a reader\'s command');
  const env = { PATH: `${bin}:${process.env.PATH}`, FAKE_PODS: pods };

  writeFileSync(pods, 'default/productpage-v1-6b7f8c9d54-w9t3k: docker.io/istio/proxyv2:1.31.1 docker.io/istio/examples-bookinfo-productpage-v1:1.20.3\n');
  const clean = bash(check.code, env);
  t.equal(clean.status, 0, clean.stdout);
  t.equal(clean.stdout.trim(), 'no pod pulls from registry.istio.io or gcr.io/istio-release');

  writeFileSync(pods, 'default/ratings-v1-7c9f5d8b46-h8r2v: docker.io/istio/proxyv2:1.31.1 registry.istio.io/release/examples-bookinfo-ratings-v1:1.20.3\nistio-system/istiod-5d7c9b8f96-h4j8n: docker.io/istio/pilot:1.31.1\n');
  const bad = bash(check.code, env);
  t.equal(bad.status, 1);
  t.match(bad.stdout, /These pods pull images from a registry Istio retires in December 2026 \(registry\.istio\.io, gcr\.io\/istio-release\)\.\nUse docker\.io\/istio instead: see chapter 2, step samples-use-docker-hub/);
  t.match(bad.stdout, /default\/ratings-v1-7c9f5d8b46-h8r2v: .*registry\.istio\.io\/release\/examples-bookinfo-ratings-v1/);
  t.notMatch(bad.stdout, /istiod/, 'only the offending pods are named');
});
