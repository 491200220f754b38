// The workflow's release lookup, as the workflow runs it (a process with GITHUB_OUTPUT), against
// a local server answering in the shape of GitHub's "List releases" API
// (GET /repos/{owner}/{repo}/releases: a JSON array of releases with tag_name, draft, prerelease,
// published_at, html_url; pages linked by a Link header with rel="next").
import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './support/child-env.ts';
import { tempDir } from './support/tmp.ts';
import { pinIstioVersion } from '../scripts/pin-istio-version.ts';

const SCRIPT = fileURLToPath(new URL('../scripts/istio-release.ts', import.meta.url));
const release = (tag: string, extra: object = {}) => ({
  url: `https://api.github.com/repos/istio/istio/releases/${tag}`,
  html_url: `https://github.com/istio/istio/releases/tag/${tag}`,
  id: 1,
  tag_name: tag,
  name: `Istio ${tag}`,
  draft: false,
  prerelease: false,
  created_at: '2026-10-01T10:00:00Z',
  published_at: '2026-10-05T10:00:00Z',
  assets: [],
  ...extra,
});

type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

async function api(t: Test, handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  t.teardown(() => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

/** Two pages: newest first, as GitHub lists them; a draft and a prerelease that must not count. */
const twoPages: Handler = (req, res, base) => {
  const page = new URL(req.url!, base).searchParams.get('page') ?? '1';
  if (page === '1') {
    return json(res, 200, [release('1.32.0-beta.1', { prerelease: true }), release('1.31.3', { draft: true }), release('1.32.0'), release('1.31.2'), release('1.30.5')], {
      link: `<${base}/repos/istio/istio/releases?per_page=100&page=2>; rel="next", <${base}/repos/istio/istio/releases?per_page=100&page=2>; rel="last"`,
    });
  }
  return json(res, 200, [release('1.31.1'), release('1.31.0'), release('1.30.4')]);
};

function lookup(t: Test, apiUrl: string, pinned: string, args: string[] = []) {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'runbook.yaml'), `vars:\n  # pinned\n  ISTIO_VERSION: "${pinned}"\n`);
  const output = join(dir, 'github-output');
  writeFileSync(output, '');
  return new Promise<{ code: number | null; out: string; outputs: Record<string, string> }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--settings', join(dir, 'runbook.yaml'), ...args], {
      env: childEnv({ GITHUB_API_URL: apiUrl, GITHUB_OUTPUT: output, GITHUB_TOKEN: 'test-token' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=') as [string, string]));
      resolve({ code, out, outputs });
    });
  });
}

t.test('a newer patch of the pinned line: run, with that version', async (t) => {
  const server = await api(t, twoPages);
  const r = await lookup(t, server.url, '1.31.1');
  t.equal(r.code, 0, r.out);
  t.same(r.outputs, { run: 'true', version: '1.31.2', pinned: '1.31.1' });
  t.match(r.out, /newest 1\.31 patch is 1\.31\.2 \(published 2026-10-05\); the tutorial pins 1\.31\.1 → regenerate for 1\.31\.2/);
  t.equal(server.requests[0].url, '/repos/istio/istio/releases?per_page=100');
  t.equal(server.requests[0].headers.authorization, 'Bearer test-token');
  t.equal(server.requests[0].headers.accept, 'application/vnd.github+json');
  t.equal(server.requests.length, 2, 'followed the next page');
});

t.test('the pinned release is the newest patch: nothing to do', async (t) => {
  const server = await api(t, twoPages);
  const r = await lookup(t, server.url, '1.31.2');
  t.equal(r.code, 0, r.out);
  t.same(r.outputs, { run: 'false', version: '1.31.2', pinned: '1.31.2' });
  t.match(r.out, /already pins the newest 1\.31 patch, 1\.31\.2 → nothing to do/);
  const forced = await lookup(t, server.url, '1.31.2', ['--force']);
  t.same(forced.outputs.run, 'true', '--force (a manual run) regenerates anyway');
  const line = await lookup(t, server.url, '1.31.2', ['--minor', '1.32']);
  t.same(line.outputs, { run: 'true', version: '1.32.0', pinned: '1.31.2' }, 'another minor line when asked');
});

t.test('a requested version must be a published release', async (t) => {
  const server = await api(t, twoPages);
  const ok = await lookup(t, server.url, '1.31.1', ['--version', '1.31.0']);
  t.same(ok.outputs, { run: 'true', version: '1.31.0', pinned: '1.31.1' });
  const draft = await lookup(t, server.url, '1.31.1', ['--version', '1.31.3']);
  t.equal(draft.code, 1);
  t.match(draft.out, /Istio 1\.31\.3 is not a published release/);
  const bad = await lookup(t, server.url, '1.31.1', ['--version', 'latest']);
  t.equal(bad.code, 1);
  t.match(bad.out, /--version latest: expected a release number/);
});

t.test('API errors fail loudly', async (t) => {
  const limited = await api(t, (_req, res) => json(res, 403, { message: 'API rate limit exceeded for 203.0.113.1.', documentation_url: 'https://docs.github.com/rest' }, { 'x-ratelimit-remaining': '0' }));
  const r = await lookup(t, limited.url, '1.31.1');
  t.equal(r.code, 1);
  t.match(r.out, /answered HTTP 403: API rate limit exceeded .*\(API rate limit exhausted; set GITHUB_TOKEN\)/);
  t.same(r.outputs, {}, 'no outputs: the workflow step fails instead of deciding');

  const broken = await api(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>maintenance</html>');
  });
  const b = await lookup(t, broken.url, '1.31.1');
  t.equal(b.code, 1);
  t.match(b.out, /expected a JSON list of releases/);

  const notFound = await api(t, (_req, res) => json(res, 404, { message: 'Not Found' }));
  const n = await lookup(t, notFound.url, '1.31.1');
  t.equal(n.code, 1);
  t.match(n.out, /HTTP 404: Not Found/);

  const empty = await api(t, (_req, res) => json(res, 200, [release('1.30.1')]));
  const e = await lookup(t, empty.url, '1.31.1');
  t.equal(e.code, 1);
  t.match(e.out, /no published 1\.31\.x release found/);

  const down = await lookup(t, 'http://127.0.0.1:9', '1.31.1');
  t.equal(down.code, 1);
  t.match(down.out, /cannot reach http:\/\/127\.0\.0\.1:9/);
});

t.test('pinning the new version changes only that value', async (t) => {
  const text = readFileSync(new URL('../runbook/runbook.yaml', import.meta.url), 'utf8');
  const pinned = pinIstioVersion(text, '1.31.9');
  t.match(pinned, /ISTIO_VERSION: "1\.31\.9"/);
  t.equal(pinned.replace('"1.31.9"', ''), text.replace(/"\d+\.\d+\.\d+"/, ''), 'every other byte kept');
  t.equal(pinIstioVersion('vars:\n  ISTIO_VERSION: 1.2.3 # plain\n', '1.2.4'), 'vars:\n  ISTIO_VERSION: 1.2.4 # plain\n');
  t.throws(() => pinIstioVersion('vars: {}\n', '1.2.4'), /no vars\.ISTIO_VERSION/);
  t.throws(() => pinIstioVersion(text, 'main'), /not a release number/);
});
