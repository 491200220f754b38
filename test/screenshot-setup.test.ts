// The screenshot directive's parts that need no browser: finding one, settings, the action list,
// attribute checks at parse time, and the errors a user gets before any page loads.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserMissingError, CHROMIUM_CANDIDATES, findChromium } from '../engine/browser/find-chromium.ts';
import { DEFAULT_SCREENSHOT_SETTINGS, parseThreshold, parseViewport, screenshotSettings } from '../engine/browser/settings.ts';
import { describeAction, parseActions } from '../engine/browser/actions.ts';
import { parseDirective } from '../engine/read/directive.ts';
import { handler } from '../engine/directives/screenshot.ts';
import { makeHarness } from './support/web/directive-context.ts';

const dir = mkdtempSync(join(tmpdir(), 'runbook-shot-setup-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const fakeBrowser = join(dir, 'chrome');
writeFileSync(fakeBrowser, '#!/bin/sh\nexit 3\n');
chmodSync(fakeBrowser, 0o755);

t.test('findChromium: RUNBOOK_CHROMIUM first, then the known places in order', async (t) => {
  t.equal(findChromium({ RUNBOOK_CHROMIUM: fakeBrowser }, []), fakeBrowser);
  t.throws(() => findChromium({ RUNBOOK_CHROMIUM: join(dir, 'nope') }, [fakeBrowser]), /RUNBOOK_CHROMIUM=.*nope is not an executable file/, 'no silent fallback past a typo');
  t.equal(findChromium({}, [join(dir, 'missing'), fakeBrowser]), fakeBrowser);
  const missing = t.throws(() => findChromium({}, [join(dir, 'missing')])) as unknown as Error;
  t.ok(missing instanceof BrowserMissingError);
  t.match(missing.message, /no Chromium or Chrome found.*sudo apt-get install chromium.*brew install --cask google-chrome.*RUNBOOK_CHROMIUM=/);
  t.same(CHROMIUM_CANDIDATES.slice(0, 3), ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser']);
  t.ok(CHROMIUM_CANDIDATES.includes('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'));
});

t.test('settings: BookInfo defaults, overrides, and errors that say what to write', async (t) => {
  t.same(screenshotSettings(undefined), DEFAULT_SCREENSHOT_SETTINGS);
  t.match(DEFAULT_SCREENSHOT_SETTINGS.login, { username: 'input[name="username"]', password: 'input[name="passwd"]' });
  const s = screenshotSettings({ viewport: '800x600', scale: 2, threshold: '1%', timeout: '5s', 'diff-dir': 'd', login: { username: '#u', 'password-value': '$PW' } });
  t.match(s, { viewport: { width: 800, height: 600 }, scale: 2, threshold: 0.01, timeoutMs: 5000, diffDir: 'd', login: { username: '#u', passwordValue: '$PW', password: 'input[name="passwd"]' } });
  t.throws(() => screenshotSettings({ viewport: 'big' }), /screenshot\.viewport: big: use WIDTHxHEIGHT/);
  t.throws(() => screenshotSettings({ scale: 0 }), /screenshot\.scale/);
  t.throws(() => screenshotSettings({ threshold: '5' }), /screenshot\.threshold: 5: use a percentage/);
  t.throws(() => screenshotSettings({ timeout: 'soon' }), /screenshot\.timeout/);
  t.throws(() => screenshotSettings({ login: 'yes' }), /screenshot\.login: must be a mapping/);
  t.throws(() => screenshotSettings({ login: { user: 'x' } }), /screenshot\.login\.user: unknown/);
  t.throws(() => screenshotSettings({ colour: 1 }), /screenshot\.colour: unknown setting/);
  t.throws(() => screenshotSettings([1]), /must be a mapping/);
  t.same([parseThreshold('0.1%'), parseThreshold('0.001'), parseThreshold('0'), parseThreshold('2'), parseThreshold('x')], [0.001, 0.001, 0, undefined, undefined]);
  t.same([parseViewport('10x20'), parseViewport('0x5'), parseViewport('a')], [{ width: 10, height: 20 }, undefined, undefined]);
});

t.test('actions: the short list, with selectors that contain = and :', async (t) => {
  const actions = parseActions('click:#more; fill:input[name=q]=a=b; press:Enter; hover:a:hover-me; wait-for:Done: x; wait:1.5s;');
  t.same(actions, [
    { verb: 'click', selector: '#more' },
    { verb: 'fill', selector: 'input[name=q]', value: 'a=b' },
    { verb: 'press', key: 'Enter' },
    { verb: 'hover', selector: 'a:hover-me' },
    { verb: 'wait-for', text: 'Done: x' },
    { verb: 'wait', ms: 1500 },
  ]);
  t.same(actions.map(describeAction), ['click #more', 'fill input[name=q]', 'press Enter', 'hover a:hover-me', 'wait for "Done: x"', 'wait 1500ms']);
  t.same(parseActions(''), []);
  t.throws(() => parseActions('tap:#x'), /unknown action "tap"/);
  t.throws(() => parseActions('click'), /needs VERB:ARGUMENT/);
  t.throws(() => parseActions('fill:#q'), /fill:SELECTOR=VALUE/);
  t.throws(() => parseActions('wait:later'), /wait:500ms/);
});

t.test('attributes are checked when the runbook is read', async (t) => {
  const at = { file: 'x.md', line: 7 };
  const parse = (text: string) => parseDirective(text, at);
  t.match(parse('screenshot url=http://h/ file=a.png full-page viewport=800x600 threshold=0.5% mask="#clock, .age"'), { verb: 'screenshot', flags: ['full-page'], attrs: { mask: '#clock, .age' } });
  t.throws(() => parse('screenshot url=http://h/ file=a.jpg'), /file=a\.jpg must be a \.png/);
  t.throws(() => parse('screenshot url=http://h/ file=a.png viewport=wide'), /bad viewport=wide/);
  t.throws(() => parse('screenshot url=http://h/ file=a.png scale=-1'), /bad scale=-1/);
  t.throws(() => parse('screenshot url=http://h/ file=a.png threshold=lots'), /bad threshold=lots: use a percentage such as 0\.1%/);
  t.throws(() => parse('screenshot url=http://h/ file=a.png actions="tap:#x"'), /bad actions=tap:#x: unknown action "tap"/);
  t.throws(() => parse('screenshot url=http://h/'), /screenshot needs file=/);
  t.ok(parse('screenshot url=http://h/ file=$OUT viewport=$SIZE threshold=$T'), '$VAR values wait for the run');
});

t.test('errors before any page loads', async (t) => {
  const harness = makeHarness(dir);
  t.teardown(() => harness.runEnd());
  const run = (attrs: Record<string, string>, options = {}) => handler.run(harness.context({ url: 'http://127.0.0.1:1/', file: 'x.png', ...attrs }, options));
  t.match(await run({ threshold: 'big' }), { ok: false, message: /bad threshold=big/ });
  t.match(await run({ viewport: '1x' }), { ok: false, message: /bad viewport=1x/ });
  t.match(await run({ scale: 'two' }), { ok: false, message: /bad scale=two/ });
  t.match(await run({ actions: 'tap:#x' }), { ok: false, message: /unknown action "tap"/ });
  t.match(await run({ selector: '#a' }, { flags: ['full-page'] }), { ok: false, message: /selector= \(one element\) or full-page/ });
  const needsPassword = makeHarness(dir, { screenshot: { login: { 'password-value': '$BOOKINFO_PASSWORD' } } });
  t.match(await handler.run(needsPassword.context({ url: 'u', file: 'x.png', login: 'jason' })), { ok: false, message: /password-value: \$BOOKINFO_PASSWORD is not set/ });
  const badSettings = makeHarness(dir, { screenshot: { viewport: 'huge' } });
  t.match(await handler.run(badSettings.context({ url: 'u', file: 'x.png' })), { ok: false, message: /screenshot\.viewport: huge/ });
  // Each in a run of its own: a run keeps the browser it started first.
  const absent = makeHarness(dir);
  t.match(await handler.run(absent.context({ url: 'u', file: 'x.png' }, { env: { RUNBOOK_CHROMIUM: join(dir, 'absent') } })), { ok: false, message: /RUNBOOK_CHROMIUM=.*absent is not an executable file.*apt-get install chromium/ });
  const broken = makeHarness(dir);
  t.match(await handler.run(broken.context({ url: 'u', file: 'x.png' }, { env: { RUNBOOK_CHROMIUM: fakeBrowser } })), { ok: false, message: /could not start the browser .*chrome: .*point RUNBOOK_CHROMIUM at a working Chromium/ });
  t.equal(harness.shared.browser, undefined, 'no browser was started for any of these');
});
