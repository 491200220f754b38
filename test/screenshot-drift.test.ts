// Visual drift: a new capture replaces the file only when more than the threshold of pixels
// changed, and then leaves a diff image; mask= paints over a clock so two captures match.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { handler } from '../engine/directives/screenshot.ts';
import type { ScreenshotFacts } from '../engine/directives/screenshot.ts';
import { compareScreenshots, pngSize } from '../engine/browser/drift.ts';
import { startWebServer } from './support/web/server.ts';
import { makeHarness } from './support/web/directive-context.ts';
import { requireBrowser } from './support/web/browser-required.ts';

const facts = (data: Record<string, unknown> | undefined) => data?.screenshot as ScreenshotFacts;

t.test('compareScreenshots without a browser: sizes, unreadable files, exact ratios', async (t) => {
  const blank = (w: number, h: number, dots = 0) => {
    const png = new PNG({ width: w, height: h });
    png.data.fill(255);
    for (let i = 0; i < dots; i++) png.data.set([0, 0, 0, 255], i * 4);
    return PNG.sync.write(png);
  };
  t.match(compareScreenshots(blank(10, 10), blank(10, 10)), { changedPixels: 0, ratio: 0, sameSize: true });
  t.match(compareScreenshots(blank(10, 10), blank(10, 10, 5)), { changedPixels: 5, ratio: 0.05, sameSize: true });
  t.match(compareScreenshots(blank(10, 10), blank(20, 10)), { ratio: 1, sameSize: false, oldSize: { width: 10, height: 10 }, newSize: { width: 20, height: 10 } });
  t.match(compareScreenshots(Buffer.from('not a png'), blank(2, 2)), { ratio: 1, sameSize: false, oldSize: undefined });
  t.equal(compareScreenshots(blank(10, 10), blank(10, 10)).diffPng, undefined, 'identical bytes: nothing decoded, no diff');
  const drawn = compareScreenshots(blank(10, 10), blank(10, 10, 1)).diffPng!();
  t.same([...PNG.sync.read(drawn).data.subarray(0, 3)], [255, 0, 0], 'the diff image marks the changed pixel red');
  t.same(pngSize(blank(7, 3)), { width: 7, height: 3 });
  t.throws(() => pngSize(Buffer.from('GIF89a.................')), /not a PNG/);
});

if (requireBrowser(t)) {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-drift-'));
  const web = await startWebServer();
  const harness = makeHarness(dir, { screenshot: { 'diff-dir': join(dir, 'diffs') } });
  t.teardown(async () => {
    await harness.runEnd();
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // 400x300 = 120000 pixels: a 3px square is 0.0075% (below 0.1%), a 40px one 1.33% (above).
  const square = (size: number, extra: Record<string, string> = {}) =>
    handler.run(harness.context({ url: web.url(`/square?size=${size}`), file: 'square.png', viewport: '400x300', ...extra }));

  t.test('drift below the threshold keeps the file; above replaces it with a diff image', async (t) => {
    const created = await square(0);
    t.equal(facts(created.data).outcome, 'created');
    const original = readFileSync(join(dir, 'square.png'));

    const small = await square(3);
    t.ok(small.ok, small.message ?? '');
    t.match(facts(small.data), { outcome: 'kept', changedPixels: 9, threshold: 0.001 });
    t.same(readFileSync(join(dir, 'square.png')), original, 'file untouched');

    const big = await square(40);
    t.ok(big.ok, big.message ?? '');
    const f = facts(big.data);
    t.match(f, { outcome: 'replaced', changedPixels: 1600 });
    t.ok(Math.abs(f.ratio! - 1600 / 120000) < 1e-9);
    t.notSame(readFileSync(join(dir, 'square.png')), original, 'file replaced');
    t.equal(f.diffImage, join(dir, 'diffs', 'square.diff.png'));
    const diff = PNG.sync.read(readFileSync(f.diffImage!));
    t.same([diff.width, diff.height], [400, 300]);
    t.same([...diff.data.subarray(0, 3)], [255, 0, 0], 'changed pixels are red in the diff');
  });

  t.test('threshold= raises the bar for one step; a size change always replaces', async (t) => {
    const tolerant = await square(0, { threshold: '2%' });
    t.match(facts(tolerant.data), { outcome: 'kept', threshold: 0.02 });
    const resized = await square(0, { viewport: '200x300' });
    t.match(facts(resized.data), { outcome: 'replaced', ratio: 1, oldSize: { width: 400, height: 300 }, width: 200 });
    t.equal(facts(resized.data).diffImage, undefined, 'no pixel diff between different sizes');
  });

  t.test('mask= hides a changing clock so two captures match', async (t) => {
    const shoot = (extra: Record<string, string>) => handler.run(harness.context({ url: web.url('/clock'), file: 'clock.png', viewport: '600x300', threshold: '0', ...extra }));
    await shoot({ mask: '#clock' });
    const before = statSync(join(dir, 'clock.png')).mtimeMs;
    const again = await shoot({ mask: '#clock' });
    t.match(facts(again.data), { outcome: 'kept', changedPixels: 0 });
    t.equal(statSync(join(dir, 'clock.png')).mtimeMs, before);
    const unmasked = await shoot({});
    t.equal(facts(unmasked.data).outcome, 'replaced', 'without the mask the clock differs');
    t.ok(facts(unmasked.data).changedPixels! > 0);
  });

  t.test('an unreadable old file is replaced, atomically, with no temp files left', async (t) => {
    writeFileSync(join(dir, 'broken.png'), 'garbage');
    const outcome = await handler.run(harness.context({ url: web.url('/square?size=5'), file: 'broken.png', viewport: '100x100' }));
    t.match(facts(outcome.data), { outcome: 'replaced', ratio: 1 });
    t.equal(PNG.sync.read(readFileSync(join(dir, 'broken.png'))).width, 100);
    t.notOk(existsSync(join(dir, `.broken.png.${process.pid}.tmp`)));
  });
}
