// The HTML report of a failed run, opened in Chromium as a person would open it from disk: the
// failing step, its expected-vs-actual diff, the output drift, the screenshot with its diff image
// and the timeline are all there. REPORT_SNAPSHOT=/path.png keeps a picture of it for a look.
import t from 'tap';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { launchChromium } from '../engine/browser/launch.ts';
import { startWebServer } from './support/web/server.ts';
import { requireBrowser } from './support/web/browser-required.ts';
import { runCli } from './support/web/run-cli.ts';

const fixture = new URL('./fixtures/screenshot/failing.md', import.meta.url);

const chromium = requireBrowser(t);
if (chromium) {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-report-'));
  const web = await startWebServer();
  t.teardown(async () => {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });
  copyFileSync(fixture, join(dir, 'failing.md'));
  // A white image where the run will capture a black square: drift well above the threshold.
  const white = new PNG({ width: 400, height: 300 });
  white.data.fill(255);
  mkdirSync(join(dir, 'images'));
  writeFileSync(join(dir, 'images/square.png'), PNG.sync.write(white));

  const run = await runCli(['run', 'failing.md', '--set', `PORT=${web.port}`, '--keep-going', '--write', '--report', 'out/run.html', '--report', 'out/run.json', '--report', 'out/run.xml'], dir).done;
  t.equal(run.code, 1, 'the run fails');
  const json = JSON.parse(readFileSync(join(dir, 'out/run.json'), 'utf8'));
  t.equal(json.status, 'failed');
  t.match(json.steps.find((s: { id: string }) => s.id === 'page').data, { screenshot: { outcome: 'replaced' } });
  t.match(readFileSync(join(dir, 'out/run.xml'), 'utf8'), /<failure message="output does not match \(like\)"/);
  const html = readFileSync(join(dir, 'out/run.html'), 'utf8');

  t.test('self-contained: no script, no external resource, images inline', async (t) => {
    t.notMatch(html, /<script/i);
    t.notMatch(html, /(src|href)="(https?:)?\/\//i);
    t.match(html, /<img src="data:image\/png;base64,/);
    t.match(html, /preparing &lt;things&gt; &amp; stuff/, 'output is escaped');
  });

  t.test('opened in Chromium: failing step, diff, drift, screenshot and timeline', async (t) => {
    const browser = await launchChromium(chromium);
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const blocked: string[] = [];
    page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && blocked.push(r.url()));
    await page.goto(pathToFileURL(join(dir, 'out/run.html')).href);

    t.equal(await page.locator('.status-line .badge').innerText(), 'FAILED');
    t.match(await page.locator('.failures').innerText(), /count-pods.*failing\.md:16.*output does not match \(like\)/s);
    const failing = page.locator('section.step.failed');
    t.equal(await failing.count(), 1);
    t.equal(await failing.locator('h3').innerText(), 'count-pods');
    t.ok(await failing.locator('pre.diff .del', { hasText: 'reviews-v1 2/2 Running' }).isVisible(), 'expected line shown as removed');
    t.ok(await failing.locator('pre.diff .add', { hasText: 'reviews-v1 1/2 Running' }).isVisible(), 'actual line shown as added');
    t.ok(await failing.locator('details.output pre').isVisible(), 'output of the failed step is open');

    const versions = page.locator('#step-4');
    t.match(await versions.innerText(), /Output drift[\s\S]*-istio 1\.30\.0[\s\S]*\+istio 1\.31\.1/);

    const shot = page.locator('#step-5');
    t.match(await shot.innerText(), /replaced: 1\.333% of pixels changed/);
    const images = shot.locator('img');
    t.equal(await images.count(), 2, 'the new screenshot and its diff image');
    for (const img of await images.all()) t.ok(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 400), 'image decoded');

    const timeline = page.locator('svg.timeline');
    t.ok(await timeline.isVisible());
    t.equal(await timeline.locator('rect.bar').count(), 6, 'one bar per step, cleanup included');
    t.match(await timeline.locator('text.dur.slow').first().textContent(), /slow/, 'the slow steps are marked');
    t.equal(await timeline.locator('rect.bar.failed').count(), 1);
    t.same(blocked, [], 'the report loads nothing from anywhere');

    const snapshot = process.env.REPORT_SNAPSHOT;
    if (snapshot) await page.screenshot({ path: snapshot, fullPage: true });
  });
}
