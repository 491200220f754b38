// The regeneration loop on the fixture runbook test/fixtures/shards/book, for real: one serial
// `run --write`, and three `run --shard I/3` as separate processes at once, each in its own
// checkout on its own "cluster" (a Kubernetes API test server, context kind-shard-I), then the
// shards' reports and images/ laid out as CI artifacts in a fresh checkout and merged there.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { PNG } from 'pngjs';
import { startKubeApiServer } from './kube/index.ts';
import { makeDeployment } from './kube/objects.ts';
import { startWebServer } from './web/server.ts';
import { runCli } from './web/run-cli.ts';
import { tempDir } from './tmp.ts';

export const FIXTURE_BOOK = new URL('../fixtures/shards/book', import.meta.url).pathname;
export const NEW_VERSION = '1.31.2';

export interface Checkout {
  dir: string;
  env: NodeJS.ProcessEnv;
}

export interface Regeneration {
  root: string;
  serial: Checkout & { code: number | null; output: string };
  shards: (Checkout & { code: number | null; output: string })[];
  /** A fresh checkout with the shard artifacts in shards/shard-I/ (reports/ and images/). */
  merge: string;
  checkout(name: string): string;
  run(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }>;
}

/** A white screenshot where the run will capture a page with text: the committed "before". */
function committedImage(): Buffer {
  const png = new PNG({ width: 320, height: 120 });
  png.data.fill(255);
  return PNG.sync.write(png);
}

export async function regenerate(t: Test, options: { shards?: number } = {}): Promise<Regeneration> {
  const root = tempDir(t, 'runbook-shards-');
  const web = await startWebServer();
  t.teardown(() => web.close());
  const image = committedImage();
  const checkout = (name: string) => {
    const dir = join(root, name);
    cpSync(FIXTURE_BOOK, join(dir, 'book'), { recursive: true });
    mkdirSync(join(dir, 'images'), { recursive: true });
    writeFileSync(join(dir, 'images/dashboard.png'), image);
    return dir;
  };
  const cluster = async (name: string, gitVersion: string) => {
    const server = await startKubeApiServer({ version: { gitVersion } });
    t.teardown(() => server.close());
    server.store.create(makeDeployment('istio-system', 'istiod', { labels: { app: 'istiod' }, image: `docker.io/istio/pilot:${NEW_VERSION}-distroless` }));
    return server.kubeconfigPath(`kind-${name}`);
  };
  const run = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => runCli(args, cwd, env).done;
  const start = async (name: string, gitVersion: string, args: string[]) => {
    const dir = checkout(name);
    const env = { KUBECONFIG: join(dir, 'kubeconfig'), FIXTURE_KUBECONFIG: await cluster(name, gitVersion), WEB_PORT: String(web.port), HOME: dir };
    return { dir, env, ...(await run(['run', 'book', '--set', `ISTIO_VERSION=${NEW_VERSION}`, '--set', `CLUSTER_NAME=${name}`, ...args], dir, env)) };
  };
  const count = options.shards ?? 3;
  const [serial, ...shards] = await Promise.all([
    start('serial', 'v1.33.4', ['--write', '--report', 'reports/serial.json']),
    ...Array.from({ length: count }, (_, i) => start(`shard-${i + 1}`, `v1.33.${i + 1}`, ['--shard', `${i + 1}/${count}`, '--report', 'reports/shard.json'])),
  ]);
  // What the final CI job gets: a fresh checkout, each shard's artifact (reports/ and images/) beside it.
  const merge = checkout('merge');
  shards.forEach((s, i) => {
    for (const part of ['reports', 'images']) cpSync(join(s.dir, part), join(merge, 'shards', `shard-${i + 1}`, part), { recursive: true });
  });
  return { root, serial, shards, merge, checkout, run };
}
