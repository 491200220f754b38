// The screenshot directive through the real engine: `runbook run` on fixture runbooks with
// several reports; a second run keeps unchanged images; Ctrl-C leaves no Chromium behind; a
// missing browser is one clear error.
import t, { type Test } from 'tap';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { startWebServer } from './support/web/server.ts';
import { requireBrowser } from './support/web/browser-required.ts';
import { runCli } from './support/web/run-cli.ts';
import { until } from './support/until.ts';

const fixtures = new URL('./fixtures/screenshot/', import.meta.url);
const workspace = (t: Test, ...names: string[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-engine-shot-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of names) copyFileSync(new URL(name, fixtures), join(dir, name));
  return dir;
};
/** Pids of processes whose command line mentions `marker` (our browser's private temp dir). */
const pidsMentioning = (marker: string): string[] => {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

t.test('a missing browser is one clear error before any step runs, and nothing is written', async (t) => {
  const dir = workspace(t, 'shots.md');
  const run = await runCli(['run', 'shots.md', '--set', 'PORT=1', '--report', 'r.json'], dir, { RUNBOOK_CHROMIUM: '/nonexistent/chrome' }).done;
  t.equal(run.code, 2, 'preflight stops the run (exit 2) instead of failing at the screenshot step');
  t.match(run.output, /nothing was run/);
  t.match(run.output, /RUNBOOK_CHROMIUM=\/nonexistent\/chrome is not an executable file.*apt-get install chromium.*brew install --cask google-chrome/s);
  t.notOk(existsSync(join(dir, 'images')));
});

if (requireBrowser(t)) {
  const web = await startWebServer();
  t.teardown(() => web.close());

  t.test('runbook run with screenshots, an HTML and a JSON report', async (t) => {
    const dir = workspace(t, 'shots.md');
    const args = ['run', 'shots.md', '--set', `PORT=${web.port}`, '--report', 'out/x.html', '--report', 'out/x.json'];
    const first = await runCli(args, dir).done;
    t.equal(first.code, 0, first.output);
    const card = PNG.sync.read(readFileSync(join(dir, 'images/card.png')));
    t.same([card.width, card.height], [300, 150]);
    const product = PNG.sync.read(readFileSync(join(dir, 'images/product.png')));
    t.same([product.width, product.height], [800, 600], 'viewport from the screenshot: settings');
    const json = JSON.parse(readFileSync(join(dir, 'out/x.json'), 'utf8'));
    t.match(json.steps.map((s: { id: string; kind: string; status: string }) => [s.id, s.kind, s.status]), [
      ['site-url', 'run', 'passed'],
      ['product', 'directive:screenshot', 'passed'],
      ['card', 'directive:screenshot', 'passed'],
    ]);
    t.match(json.steps[1].data.screenshot, { outcome: 'created', file: 'images/product.png', url: `http://127.0.0.1:${web.port}/productpage` });
    const html = readFileSync(join(dir, 'out/x.html'), 'utf8');
    t.equal(html.match(/<img src="data:image\/png;base64,/g)?.length, 2);

    const mtime = statSync(join(dir, 'images/product.png')).mtimeMs;
    const second = await runCli(args, dir).done;
    t.equal(second.code, 0);
    const again = JSON.parse(readFileSync(join(dir, 'out/x.json'), 'utf8'));
    t.same(again.steps.slice(1).map((s: { data: { screenshot: { outcome: string } } }) => s.data.screenshot.outcome), ['kept', 'kept']);
    t.equal(statSync(join(dir, 'images/product.png')).mtimeMs, mtime, 'an unchanged page leaves the file alone');
  });

  t.test('Ctrl-C while the browser is up: cleanup, exit 130, no Chromium left', async (t) => {
    const dir = workspace(t, 'interrupt.md');
    // A private TMPDIR puts the browser's profile, and so its command line, under a marker.
    const marker = mkdtempSync(join(tmpdir(), 'runbook-chromium-marker-'));
    t.teardown(() => rmSync(marker, { recursive: true, force: true }));
    const run = runCli(['run', 'interrupt.md', '--set', `PORT=${web.port}`, '--report', 'r.json'], dir, { TMPDIR: marker });
    // Poll for the state itself: the long step has started (its marker file) and the browser is up.
    await until(() => existsSync(join(dir, 'long-wait.started')) && pidsMentioning(marker).length > 0, 'the long step to start with the browser up', 30_000);
    t.ok(pidsMentioning(marker).length > 0, 'the browser is running during the run');
    run.child.kill('SIGINT');
    const end = await run.done;
    t.equal(end.code, 130, end.output);
    t.same(pidsMentioning(marker), [], 'no browser process outlives the run');
    t.equal(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).status, 'interrupted');
  });
}
