// The screenshot directive against real Chromium and local pages: full page, one element, signing
// in through a BookInfo-like form, an action list, and a clear error when awaited text never shows.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { handler } from '../engine/directives/screenshot.ts';
import { startWebServer } from './support/web/server.ts';
import { makeHarness } from './support/web/directive-context.ts';
import { requireBrowser } from './support/web/browser-required.ts';

const readPng = (path: string) => PNG.sync.read(readFileSync(path));

if (requireBrowser(t)) {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-shot-'));
  const web = await startWebServer();
  const harness = makeHarness(dir);
  t.teardown(async () => {
    await harness.runEnd();
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });

  t.test('full page: the whole tall page, at the viewport width', async (t) => {
    const ctx = harness.context({ url: web.url('/tall'), file: 'images/tall.png', viewport: '640x480' }, { flags: ['full-page'] });
    const outcome = await handler.run(ctx);
    t.ok(outcome.ok, outcome.message ?? '');
    const png = readPng(join(dir, 'images/tall.png'));
    t.equal(png.width, 640);
    t.ok(png.height > 2000, `full page is taller than the viewport (${png.height}px)`);
    t.match(outcome.data, { screenshot: { outcome: 'created', width: 640, httpStatus: 200 } });
    t.match(ctx.lines.join('\n'), /new file/);
  });

  t.test('selector: one element, at the device scale factor', async (t) => {
    const ctx = harness.context({ url: web.url('/tall'), file: 'card.png', selector: '#card', scale: '2' });
    const outcome = await handler.run(ctx);
    t.ok(outcome.ok, outcome.message ?? '');
    const png = readPng(join(dir, 'card.png'));
    t.same([png.width, png.height], [600, 300], 'the 300x150 card at scale 2');
    t.equal(png.data[0 + 2], 0xeb, 'first pixel is the card blue');
  });

  t.test('selector matching several elements is refused', async (t) => {
    const outcome = await handler.run(harness.context({ url: web.url('/tall'), file: 'many.png', selector: 'div' }));
    t.notOk(outcome.ok);
    t.match(outcome.message, /selector=div matches \d+ elements; make it match exactly one/);
    t.notOk(existsSync(join(dir, 'many.png')));
  });

  t.test('login=jason signs in through the dialog form and shows the signed-in page', async (t) => {
    const outcome = await handler.run(harness.context({ url: web.url('/productpage'), file: 'signed-in.png', login: 'jason', 'wait-for': 'Sign out' }));
    t.ok(outcome.ok, outcome.message ?? '');
    t.ok(existsSync(join(dir, 'signed-in.png')));
    // A fresh context per step: the next capture is signed out again.
    const anonymous = await handler.run(harness.context({ url: web.url('/productpage'), file: 'anonymous.png', 'wait-for': 'Sign in' }));
    t.ok(anonymous.ok, anonymous.message ?? '');
  });

  t.test('login with selectors from settings that match nothing says what to configure', async (t) => {
    const custom = makeHarness(dir, { screenshot: { login: { username: '#who', open: '#nothing' } } });
    t.teardown(() => custom.runEnd());
    const outcome = await handler.run(custom.context({ url: web.url('/productpage'), file: 'x.png', login: 'jason' }));
    t.notOk(outcome.ok);
    t.match(outcome.message, /signing in as jason: no sign-in form: neither #who nor a button matching #nothing.*screenshot\.login in runbook\.yaml/);
  });

  t.test('actions: click, fill, press, wait-for', async (t) => {
    const ctx = harness.context({ url: web.url('/actions'), file: 'actions.png', actions: 'click:#more; fill:#q=hello; press:Enter; wait-for:Done: hello' });
    const outcome = await handler.run(ctx);
    t.ok(outcome.ok, outcome.message ?? '');
  });

  t.test('wait-for: late text is awaited; text that never shows times out clearly', async (t) => {
    const late = await handler.run(harness.context({ url: web.url('/late?after=400&text=Ready'), file: 'late.png', 'wait-for': 'Ready' }));
    t.ok(late.ok, late.message ?? '');
    const never = await handler.run(harness.context({ url: web.url('/late?after=400&text=Ready'), file: 'never.png', 'wait-for': 'Never there' }, { timeoutMs: 4000 }));
    t.notOk(never.ok);
    t.match(never.message, /^timed out after [\d.]+s waiting for the text "Never there" \(http:\/\/127\.0\.0\.1:\d+\/late\?after=400&text=Ready\): waiting for getByText\('Never there'\)/);
    const waited = Number(/^timed out after ([\d.]+)s/.exec(never.message ?? '')?.[1]);
    t.ok(waited > 0 && waited < 30, `gave up within the step's 4 s budget, not at the 30 s default (${waited} s)`);
    t.notOk(existsSync(join(dir, 'never.png')), 'nothing written');
  });

  t.test('an unreachable page is a one-line error', async (t) => {
    const closed = await startWebServer();
    await closed.close();
    const outcome = await handler.run(harness.context({ url: closed.url('/'), file: 'down.png' }));
    t.notOk(outcome.ok);
    t.match(outcome.message, /^could not load http:\/\/127\.0\.0\.1:\d+\/: net::ERR_CONNECTION_REFUSED; is the service reachable/);
  });

  t.test('one browser serves every capture of the run', async (t) => {
    t.ok(harness.shared.browser, 'the run holds one browser');
    t.ok(harness.shared.browserTeardownRegistered, 'closed once when the run ends');
  });
}
