// The HTML report as text: everything escaped, nothing external, facts, diagnostics, drift,
// timeline and screenshots in place; and all three report types written by one run.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { CommandStep, DirectiveStep } from '../engine/model.ts';
import type { RunResult, StepResult } from '../engine/execute/results.ts';
import { toHtmlReport } from '../engine/report/html.ts';
import { toJsonReport } from '../engine/report/json.ts';
import { toJunitReport } from '../engine/report/junit.ts';
import { runResultFromReport } from '../engine/report/to-result.ts';
import { slowSteps } from '../engine/report/html-timeline.ts';
import { diffBlock, lineCount } from '../engine/report/html-text.ts';
import { checkReportPaths, writeReports } from '../engine/report/index.ts';
import { MAX_INLINE_IMAGE_BYTES } from '../engine/report/html-images.ts';

const base = { explicitId: true, section: [], exit: 0 as const, targets: [], tags: [], hidden: false, streamStdoutOnly: false };
const command = (id: string, code: string, line: number): CommandStep => ({ ...base, id, type: 'command', kind: 'run', lang: 'bash', code, position: { file: '01-x.md', line } });
const directive = (id: string, attrs: Record<string, string>): DirectiveStep => ({
  ...base, id, type: 'directive', kind: 'run', verb: 'screenshot', args: [], attrs, flags: ['full-page'], span: { start: 0, end: 0 }, position: { file: '01-x.md', line: 40 },
});
const result = (step: CommandStep | DirectiveStep, extra: Partial<StepResult>): StepResult => ({ step, phase: 'main', command: step.type === 'command' ? step.code : `runbook: screenshot ${Object.entries(step.attrs).map(([k, v]) => `${k}=${v}`).join(' ')}`, status: 'passed', attempts: 1, durationMs: 10, exitCode: 0, output: '', ...extra });

const dir = mkdtempSync(join(tmpdir(), 'runbook-report-unit-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const png = new PNG({ width: 4, height: 3 });
png.data.fill(200);
writeFileSync(join(dir, 'shot.png'), PNG.sync.write(png));

const run: RunResult = {
  status: 'failed',
  target: { name: 'kind', context: 'kind-istio-runbook', requires: [] },
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 62_000,
  facts: { kubernetesVersion: 'v1.33.1', istio: { version: '1.31.1', revision: 'default' } },
  notes: ['teardown: <port-forward> did not stop'],
  steps: [
    result(command('install', 'istioctl install -y && echo "<done>"', 3), { durationMs: 50_000, startedAt: '2025-01-01T00:00:00.000Z', output: 'installed <b>ok</b>\n' }),
    result(command('check-pods', 'kubectl get pods', 10), {
      status: 'failed', durationMs: 8_000, attempts: 4, exitCode: 0, startedAt: '2025-01-01T00:00:50.000Z',
      output: 'reviews 1/2', message: 'output does not match (like)', diff: '--- expected\n+++ actual\n-reviews 2/2\n+reviews 1/2',
      data: { events: 'Back-off pulling image "<img onerror=alert(1)>"', pods: [{ name: 'reviews-v1', ready: false }] },
    }),
    result(directive('shot', { url: 'http://x/<p>', file: 'images/a b.png' }), {
      exitCode: null, durationMs: 4_000,
      data: { screenshot: { url: 'http://x/<p>', file: 'images/a b.png', path: join(dir, 'shot.png'), width: 4, height: 3, outcome: 'kept', ratio: 0.0005, changedPixels: 6, threshold: 0.001 } },
    }),
    result(command('later', 'true', 50), { status: 'skipped', durationMs: 0, exitCode: null, message: 'not on target kind' }),
  ],
};
const drift = [{ file: '01-x.md', line: 14, stepId: 'install', kind: 'output' as const, diff: 'Index: x\n====\n--- a\n+++ b\n-old <v>\n+new <v>' }];

t.test('everything from the run is escaped; nothing is loaded from elsewhere', async (t) => {
  const html = toHtmlReport(run, { runbook: 'runbook/<x>', drift });
  t.notMatch(html, /<b>ok<\/b>|<img onerror|<p>"|<done>|<v>/);
  t.match(html, /installed &lt;b&gt;ok&lt;\/b&gt;/);
  t.match(html, /&lt;img onerror=alert\(1\)&gt;/);
  t.notMatch(html, /<script|<link|(src|href)="(https?:)?\/\//i);
  t.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"/);
});

t.test('summary, facts, notes, failures, drift, diagnostics, screenshot', async (t) => {
  const html = toHtmlReport(run, { runbook: 'runbook/', drift });
  t.match(html, /<b>2<\/b>passed<\/div><div class="tile-failed"><b>1<\/b>failed/);
  t.match(html, /<b>1m2s<\/b>duration/);
  t.match(html, /context kind-istio-runbook/);
  t.match(html, /<th>kubernetesVersion<\/th><td>v1\.33\.1<\/td>/);
  t.match(html, /&quot;revision&quot;: &quot;default&quot;/);
  t.match(html, /teardown: &lt;port-forward&gt; did not stop/);
  t.match(html, /<a href="#step-2">check-pods<\/a>/);
  t.match(html, /4 attempts/);
  t.match(html, /<details class="diagnostics" open><summary>Diagnostics \(2\)<\/summary><h5>events<\/h5>/);
  t.match(html, /Output drift <span class="muted">\(output at 01-x\.md:14/);
  t.notMatch(html, /Index: x|====/, 'patch noise left out');
  t.match(html, /runbook: screenshot url=http:\/\/x\/&lt;p&gt; file=images\/a b\.png/);
  t.match(html, /kept: 0\.05% of pixels changed, within the 0\.1% threshold/);
  t.match(html, /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="screenshot images\/a b\.png">/);
  t.match(html, /not on target kind/);
});

t.test('timeline: a bar per step, the slow ones marked', async (t) => {
  const html = toHtmlReport(run, {});
  t.equal(html.match(/<rect [^>]*class="bar /g)?.length, 4);
  t.same([...slowSteps(run)].sort(), [0, 1, 2], 'the three longest steps, each ≥ 5% of the run');
  t.match(html, /class="bar passed slow"/);
  t.match(html, /50s ▲ slow/);
  t.match(toHtmlReport({ ...run, steps: [] }, {}), /No steps ran/);
});

t.test('missing and oversized images are named, not embedded', async (t) => {
  const gone = structuredClone(run);
  (gone.steps[2].data!.screenshot as { path: string }).path = join(dir, 'gone.png');
  t.match(toHtmlReport(gone, {}), /gone\.png is no longer on disk/);
  const big = join(dir, 'big.png');
  writeFileSync(big, Buffer.alloc(MAX_INLINE_IMAGE_BYTES + 1));
  (gone.steps[2].data!.screenshot as { path: string }).path = big;
  t.match(toHtmlReport(gone, {}), /big\.png \(8 MB, too large to embed\)/);
});

t.test('helpers: diff classes and line counts', async (t) => {
  t.match(diffBlock('~ skipped\n@@ -1 +1 @@\n same'), /<span class="eli">~ skipped<\/span>\n<span class="hunk">@@ -1 \+1 @@<\/span>\n<span class="ctx"> same<\/span>/);
  t.same([lineCount(''), lineCount('a\n'), lineCount('a\nb')], [0, 1, 2]);
});

t.test('several --report files at once, .html among them', async (t) => {
  const paths = ['r/run.json', 'r/run.xml', 'r/run.html'].map((p) => join(dir, p));
  checkReportPaths(paths);
  await writeReports(paths, run, { drift });
  t.equal(JSON.parse(readFileSync(paths[0], 'utf8')).status, 'failed');
  t.match(readFileSync(paths[1], 'utf8'), /<testsuites/);
  t.match(readFileSync(paths[2], 'utf8'), /^<!doctype html>/);
  t.throws(() => checkReportPaths(['run.txt']), /unknown report type/);
});

t.test('steered and cut-short runs: every planned step in every report, with what a person did', async (t) => {
  const steered: RunResult = {
    ...run,
    interactive: true,
    resumedFrom: 'install',
    restarted: [{ id: 'server', file: '01-x.md', line: 2, status: 'passed' }],
    steps: [
      result(command('fixed', 'make it', 3), { attempts: 2, manual: { retries: 1, shells: 1, fixedInShell: true }, earlier: [{ status: 'failed', exitCode: 2, durationMs: 1500, message: 'exit code 2, expected 0', shellAfter: true }] }),
      result(command('by-hand', 'skip me', 8), { status: 'skipped', attempts: 0, exitCode: null, message: 'skipped by hand', manual: { skipped: 'by hand' } }),
      result(command('left', 'false', 12), { status: 'failed', exitCode: 1, message: 'exit code 1, expected 0', manual: { leftFailed: true } }),
      result(command('never', 'true', 20), { status: 'not run', attempts: 0, exitCode: null, durationMs: 0, message: 'not run: the run was stopped with q' }),
    ],
  };
  const html = toHtmlReport(steered, {});
  t.match(html, /<div class="tile-not-run"><b>1<\/b>not run<\/div>/);
  t.match(html, /<h2>Steps \(4: 1 passed, 1 failed, 1 skipped, 1 not run\)<\/h2>/);
  t.match(html, /A person steered this run/);
  t.match(html, /Resumed at install from saved state; started again: server \(passed\)/);
  t.match(html, /<section class="step not-run" id="step-4"><header><span class="badge not-run">not run<\/span>/);
  t.match(html, /<span class="badge manual">by hand<\/span><h3>fixed<\/h3>/);
  t.match(html, /By hand: run again by hand 1 time; shell opened 1 time; passed after a fix in the shell/);
  t.match(html, /By hand: left failed: the run went on without it/);
  t.match(html, /<ol class="earlier"><li>attempt 1: failed, exit 2, 1\.5s — exit code 2, expected 0 <span class="muted">\(then a shell was opened\)<\/span><\/li><\/ol>/);
  t.match(html, /class="bar not-run"/);
  const json = toJsonReport(steered) as { counts: object; steps: { manual: object | null; earlierAttempts: object[] }[]; restarted: object[]; resumedFrom: string };
  t.same(json.counts, { total: 4, passed: 1, failed: 1, skipped: 1, notRun: 1 });
  t.same(json.steps[0].manual, { retries: 1, shells: 1, fixedInShell: true });
  t.match(json.steps[0].earlierAttempts, [{ status: 'failed', exitCode: 2, shellAfter: true }]);
  t.equal(json.resumedFrom, 'install');
  const xml = toJunitReport(steered);
  t.match(xml, /<testsuites name="runbook" tests="4" failures="1" skipped="2"/);
  t.match(xml, /<testcase name="fixed"[^>]*>\s*<properties><property name="status" value="passed"\/><property name="manual" value="run again by hand 1 time; shell opened 1 time; passed after a fix in the shell"\/><property name="attempts" value="2"\/><\/properties>/);
  t.match(xml, /<testcase name="never"[^>]*>\s*<properties><property name="status" value="not run"\/><\/properties>\s*<skipped message="not run: the run was stopped with q"\/>/);
  // A report read back (merge, write --from-report) keeps what the person did.
  const back = runResultFromReport(JSON.parse(JSON.stringify(json)));
  t.match(back.steps[0], { manual: { fixedInShell: true }, earlier: [{ shellAfter: true }] });
  t.equal(back.steps[3].status, 'not run');
});
