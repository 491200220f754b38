// The regeneration loop end to end with real processes: three shards of a fixture whose chapters
// need each other, each on its own cluster, merged into one report whose steps are one serial
// run's; `write --from-report` leaves the sources byte for byte as the serial `run --write` did,
// and refuses (exit 1, nothing written) when a source or screenshot changed since the run.
import t from 'tap';
import { readFileSync, readdirSync, writeFileSync, appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireBrowser } from './support/web/browser-required.ts';
import { launchChromium } from '../engine/browser/launch.ts';
import { regenerate, NEW_VERSION } from './support/shard-fixture.ts';

interface Step {
  id: string;
  status: string;
  output: string;
  phase: string;
  chapter: string;
}
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const chapterFiles = (dir: string) => Object.fromEntries(readdirSync(join(dir, 'book')).filter((f) => !f.startsWith('.')).map((f) => [f, readFileSync(join(dir, 'book', f))]));

const chromium = requireBrowser(t);
if (chromium) {
  const loop = await regenerate(t);
  const serialReport = json(join(loop.serial.dir, 'reports/serial.json'));
  const shardReports = loop.shards.map((s) => json(join(s.dir, 'reports/shard.json')));

  await t.test('each shard is a complete run on its own cluster', async (t) => {
    t.equal(loop.serial.code, 0, 'the serial run passes');
    if (loop.serial.code !== 0) t.comment(loop.serial.output);
    loop.shards.forEach((s, i) => {
      t.equal(s.code, 0, `shard ${i + 1} passes`);
      if (s.code !== 0) t.comment(s.output);
      t.match(s.output, new RegExp(`shard ${i + 1}/3 \\(balanced by step count\\)`));
    });
    t.same(shardReports.map((r) => r.context), ['kind-shard-1', 'kind-shard-2', 'kind-shard-3'], 'contexts expand CLUSTER_NAME per shard');
    t.same(shardReports.map((r) => r.facts.kubernetesVersion), ['v1.33.1', 'v1.33.2', 'v1.33.3'], 'facts come from each shard’s own API server');
    const owned = shardReports.flatMap((r) => r.shard.own).sort();
    t.same(owned, serialReport.chapters.map((c: { name: string }) => c.name).sort(), 'every chapter is owned by exactly one shard');
    for (const r of shardReports) {
      t.ok(r.steps.some((s: Step) => s.id === 'create-cluster'), `shard ${r.shard.index} runs the chapter everything needs`);
      t.ok(r.steps.some((s: Step) => s.id === 'delete-cluster' && s.phase === 'cleanup'), `shard ${r.shard.index} cleans up its cluster`);
      for (const own of r.shard.own) for (const need of r.chapters.find((c: { name: string }) => c.name === own).needs) t.ok([...r.shard.own, ...r.shard.needed].includes(need), `${own} gets ${need}`);
    }
  });

  let mergedReport: { steps: Step[]; status: string; merged: { chapters: { name: string; shard: number; steps: number; context: string; facts: Record<string, string>; repeats: { flagged: boolean }[] }[] }; images: { file: string; location: string }[] };

  await t.test('the merged report has every step once, as the serial run has them', async (t) => {
    const merged = await loop.run(['report', 'merge', ...[1, 2, 3].map((i) => `shards/shard-${i}/reports/shard.json`), '-o', 'reports/merged.json', '-o', 'reports/merged.xml', '-o', 'reports/merged.html'], loop.merge);
    t.equal(merged.code, 0, 'merged');
    if (merged.code !== 0) t.comment(merged.output);
    mergedReport = json(join(loop.merge, 'reports/merged.json'));
    t.match(merged.output, /merged 3 shard reports: passed, 10 steps, 8 chapters/);
    const view = (s: Step) => [s.id, s.phase, s.status, s.output];
    t.same(mergedReport.steps.map(view), serialReport.steps.map(view));
    t.equal(mergedReport.status, 'passed');
    const cluster = mergedReport.merged.chapters.find((c: { name: string }) => c.name === '01-cluster')!;
    t.equal(cluster.repeats.length, 2, 'the setup chapter ran in the two other shards too');
    t.notOk(cluster.repeats.some((r: { flagged: boolean }) => r.flagged));
    for (const c of mergedReport.merged.chapters) {
      t.equal(c.context, `kind-shard-${c.shard}`, `${c.name}: provenance names its shard's cluster`);
      if (c.steps) t.equal(c.facts.istioVersion, NEW_VERSION, `${c.name}: Istio version of its cluster`);
    }
    t.match(readFileSync(join(loop.merge, 'reports/merged.xml'), 'utf8'), /<testsuites name="runbook" tests="10" failures="0"/);
    t.match(readFileSync(join(loop.merge, 'reports/merged.html'), 'utf8'), /Runbook report[\s\S]*dashboard/);
    t.same(mergedReport.images.map((i: { file: string; location: string }) => [i.file, i.location]), [['images/dashboard.png', `../shards/shard-${mergedReport.merged.chapters.find((c: { name: string }) => c.name === '06-dashboard')!.shard}/images/dashboard.png`]]);
  });

  const pristine = join(loop.root, 'merge-before');
  cpSync(loop.merge, pristine, { recursive: true });

  t.test('the drift page lists the changed blocks and the screenshot, largest first, and opens offline in Chromium', async (t) => {
    const dir = join(loop.root, 'drift');
    cpSync(pristine, dir, { recursive: true });
    const r = await loop.run(['report', 'drift', 'reports/merged.json', 'book', '--html', 'reports/drift.html', '--markdown', 'reports/drift.md'], dir);
    t.equal(r.code, 0, 'drift review written');
    t.match(r.output, /5 chapters changed, 3 unchanged \(largest first\):\n  06-dashboard .*\n  03-app /);
    t.same(chapterFiles(dir), chapterFiles(pristine), 'the review writes nothing into the sources');
    t.match(readFileSync(join(dir, 'reports/drift.md'), 'utf8'), /\| 06-dashboard \| \d \| 1 \| 2 \| 1 \| 0 \|/);

    const browser = await launchChromium(chromium!);
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const outside: string[] = [];
    page.on('request', (req) => !req.url().startsWith('file:') && !req.url().startsWith('data:') && outside.push(req.url()));
    await page.goto(pathToFileURL(join(dir, 'reports/drift.html')).href);
    t.equal(await page.locator('h1').innerText(), 'Drift review');
    const chapters = await page.locator('section.chapter h2').allInnerTexts();
    t.same(chapters, ['06-dashboard', '03-app', '02-install', '04-routing', '05-faults'], 'largest change first');
    const app = page.locator('#chapter-03-app');
    t.match(await app.locator('.where').innerText(), /shard \d · status passed · target local · context kind-shard-\d · Kubernetes v1\.33\.\d · Istio 1\.31\.2/);
    t.ok(await app.locator('pre.diff .del', { hasText: 'deployed app on istio 1.30.0' }).isVisible(), 'the old output line');
    t.ok(await app.locator('pre.diff .add', { hasText: 'deployed app on istio 1.31.2' }).isVisible(), 'the new one');
    const shot = page.locator('#chapter-06-dashboard .image');
    t.match(await shot.locator('h4').innerText(), /images\/dashboard\.png \(dashboard: [\d.]+% of pixels changed\)/);
    const images = shot.locator('img');
    t.equal(await images.count(), 3, 'before, after and the changed pixels');
    for (const img of await images.all()) t.ok(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 320), 'image decoded');
    t.equal(await page.locator('table.facts tr').count(), 4, 'one row per shard');
    t.same(outside, [], 'the page asks nothing of the network');
    if (process.env.DRIFT_SNAPSHOT) await page.screenshot({ path: process.env.DRIFT_SNAPSHOT, fullPage: true });
  });

  t.test('write --from-report gives the sources run --write gave, byte for byte', async (t) => {
    const written = await loop.run(['write', 'book', '--from-report', 'reports/merged.json'], loop.merge);
    t.equal(written.code, 0, written.output);
    t.match(written.output, /5 blocks updated in 5 files, 1 screenshot written/);
    t.same(chapterFiles(loop.merge), chapterFiles(loop.serial.dir));
    t.same(readFileSync(join(loop.merge, 'images/dashboard.png')), readFileSync(join(loop.serial.dir, 'images/dashboard.png')), 'the screenshot too');
    t.notSame(chapterFiles(pristine), chapterFiles(loop.merge), 'and that is a change');
    const again = await loop.run(['write', 'book', '--from-report', 'reports/merged.json'], loop.merge);
    t.equal(again.code, 1, 'a second write refuses: the sources are no longer those of the run');
    t.match(again.output, /not written: 02-install\.md: it changed since the run/);
  });

  t.test('a source edited after the run: refused with exit 1, nothing written', async (t) => {
    const dir = join(loop.root, 'edited');
    cpSync(pristine, dir, { recursive: true });
    appendFileSync(join(dir, 'book/05-faults.md'), '\nA maintainer’s new paragraph.\n');
    const before = chapterFiles(dir);
    const image = readFileSync(join(dir, 'images/dashboard.png'));
    const r = await loop.run(['write', 'book', '--from-report', 'reports/merged.json'], dir);
    t.equal(r.code, 1, r.output);
    t.match(r.output, /not written: 05-faults\.md: it changed since the run; not overwriting your edits/);
    t.match(r.output, /nothing was written from reports\/merged\.json/);
    t.same(chapterFiles(dir), before, 'no chapter changed, not even the unedited ones');
    t.same(readFileSync(join(dir, 'images/dashboard.png')), image, 'nor the screenshot');
  });

  t.test('a screenshot changed or damaged since the run: refused', async (t) => {
    const changed = join(loop.root, 'image-changed');
    cpSync(pristine, changed, { recursive: true });
    writeFileSync(join(changed, 'images/dashboard.png'), 'someone else’s image');
    const r = await loop.run(['write', 'book', '--from-report', 'reports/merged.json'], changed);
    t.equal(r.code, 1);
    t.match(r.output, /not written: images\/dashboard\.png: it changed since the run/);

    const damaged = join(loop.root, 'image-damaged');
    cpSync(pristine, damaged, { recursive: true });
    const shard = mergedReport.images[0].location.replace(/^\.\.\//, '');
    appendFileSync(join(damaged, shard), 'x');
    const d = await loop.run(['write', 'book', '--from-report', 'reports/merged.json'], damaged);
    t.equal(d.code, 1);
    t.match(d.output, /is not the one the run took \(its SHA-256 differs\)/);
  });

  t.test('merge refuses a missing, doubled or foreign shard (exit 2)', async (t) => {
    const missing = await loop.run(['report', 'merge', 'shards/shard-1/reports/shard.json', 'shards/shard-3/reports/shard.json', '-o', 'x.json'], loop.merge);
    t.equal(missing.code, 2);
    t.match(missing.output, /shard 2\/3 missing/);
    const twice = await loop.run(['report', 'merge', 'shards/shard-1/reports/shard.json', 'shards/shard-1/reports/shard.json', '-o', 'x.json'], loop.merge);
    t.equal(twice.code, 2);
    t.match(twice.output, /are both shard 1\/3/);
    const serialJson = join(loop.serial.dir, 'reports/serial.json');
    const notShard = await loop.run(['report', 'merge', serialJson, '-o', 'x.json'], loop.merge);
    t.equal(notShard.code, 2);
    t.match(notShard.output, /is not the report of a shard/);
  });
}
