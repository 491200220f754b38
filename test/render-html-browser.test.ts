// The rendered site opened the way a reader opens it: from disk, in headless Chromium, with the
// network off (every non-file request is blocked and recorded). It must be complete and styled:
// table of contents, highlighted listings, images that load, and not one request to the internet.
// Without Chromium this fails with an install hint, unless RUNBOOK_SKIP_BROWSER_TESTS=1.
import t from 'tap';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../engine/browser/launch.ts';
import { requireBrowser } from './support/web/browser-required.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/tmp.ts';

const FIXTURE = new URL('./fixtures/render/', import.meta.url).pathname;

const chromium = requireBrowser(t);
if (chromium) {
  t.test('site/index.html from disk, offline: TOC, listings, images, styling', async (t) => {
    const dir = tempDir(t, 'runbook-site-');
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'README.golden.adoc'));
    const render = await runCli(['render', 'runbook', '--html', 'site'], { cwd: dir });
    t.equal(render.code, 0, render.out);

    const browser = await launchChromium(chromium);
    t.teardown(() => browser.close());
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const attempted: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      attempted.push(url);
      return route.abort('internetdisconnected');
    });
    await page.goto(pathToFileURL(join(dir, 'site/index.html')).href, { waitUntil: 'load' });

    t.equal(await page.title(), 'Render Fixture — every construct');
    const toc = page.locator('#toc');
    t.ok(await toc.isVisible(), 'the table of contents is shown');
    t.same(await toc.locator(':scope > ul > li > a').allInnerTexts(), ['Quick start', 'Prose and structure', 'Steps', 'Directives', 'A chapter written in AsciiDoc', 'Afterword']);
    await toc.locator('a', { hasText: 'Steps in a list' }).click();
    t.match(page.url(), /#steps-in-a-list$/, 'TOC links jump within the page');

    const listing = page.locator('pre.highlight code[data-lang="bash"]', { hasText: 'echo "hello from the step"' });
    t.equal(await listing.count(), 1, 'a command listing');
    t.equal(await listing.locator('span.tok-string').first().innerText(), '"hello from the step"', 'highlighted offline');
    t.not(await listing.locator('span.tok-string').first().evaluate((e) => getComputedStyle(e).color), await listing.evaluate((e) => getComputedStyle(e).color), 'tokens are coloured');
    t.match(await page.locator('.listingblock', { hasText: 'hello from the step' }).last().locator('.title').innerText(), /Output/);

    const images = page.locator('#content img');
    t.equal(await images.count(), 4, 'diagram (twice), inline image and the screenshot');
    for (const img of await images.all()) {
      t.ok(await img.evaluate((e: HTMLImageElement) => e.complete && e.naturalWidth > 0), `image loads: ${await img.getAttribute('src')}`);
    }
    t.equal(await page.locator('img[alt="Screenshot of http://$GATEWAY_URL/productpage"]').count(), 1);

    // The embedded default stylesheet is applied: headings get its colour, the body its font size.
    t.equal(await page.locator('h2').first().evaluate((e) => getComputedStyle(e).color), 'rgb(186, 57, 37)');
    const label = page.locator('.admonitionblock.note td.icon .title').first();
    t.equal(await label.textContent(), 'Note', 'text labels instead of an icon font from a CDN');
    t.equal(await label.innerText(), 'NOTE', 'styled by the stylesheet (upper case)');
    t.same(attempted, [], 'no request left the machine');

    if (process.env.RENDER_SNAPSHOT) await page.screenshot({ path: process.env.RENDER_SNAPSHOT, fullPage: true });
    await context.close();
  });
}
