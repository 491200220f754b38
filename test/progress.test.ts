import t from 'tap';
import { TtyReporter } from '../engine/progress/tty.ts';
import { PlainReporter } from '../engine/progress/plain.ts';
import { colorWanted, makeStyle } from '../engine/progress/style.ts';
import type { Step } from '../engine/model.ts';
import type { StepResult } from '../engine/execute/results.ts';
import type { LiveOutput } from '../engine/execute/live-output.ts';
import { summarize } from '../engine/progress/summary.ts';

const step = { id: 'deploy', type: 'command', kind: 'verify', code: 'kubectl get pods', position: { file: 'r.md', line: 7 } } as unknown as Step;
const result = (status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult => ({
  step, phase: 'main', command: 'kubectl get pods', status, attempts: 3, durationMs: 4200, exitCode: 1, output: 'line 1\nline 2\n', ...extra,
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream };
}

t.test('terminal: an in-place line with step, elapsed time and what it waits for', async (t) => {
  const { writes, stream } = fakeStream(true);
  const r = new TtyReporter(stream, makeStyle(false));
  r.runStart({ title: 'Demo', target: 'kind', total: 3 });
  r.stepStart(step, 1, 3, 'main');
  r.stepStatus(step, 'attempt 2: exit code 1');
  await new Promise((res) => setTimeout(res, 300));
  r.stepEnd(result('failed', { message: 'exit code 1, expected 0' }));
  r.runEnd({ status: 'failed', startedAt: '', durationMs: 5000, steps: [result('failed')], facts: {}, notes: [] });
  const all = writes.join('');
  t.match(all, /Demo · target kind · 3 steps/);
  t.notMatch(all, /cleanup\)/, 'no cleanup count when there are none');
  t.match(all, /\r\x1b\[2K. \[2\/3\] deploy \d+ms · attempt 2: exit code 1/, 'redrawn in place with the status');
  t.match(all, /✖ \[2\/3\] deploy 4\.2s, 3 attempts/);
  t.match(all, /✖ step deploy failed at r\.md:7\n {2}exit code 1, expected 0\n {2}command:\n {4}kubectl get pods/);
  t.match(all, /0 passed, 1 failed, 0 skipped, 0 not run\nrun failed in 5s/);
  t.notMatch(all, /\x1b\[3\dm/, 'no colours when disabled');
  for (const line of writes.filter((w) => w.startsWith('\r\x1b[2K⠋') || w.startsWith('\r\x1b[2K⠙'))) t.ok(line.length <= 60 + 8, 'fits the terminal width');
});

t.test('CI: one plain line per step, failure details, no escape codes', async (t) => {
  const out: string[] = [];
  const r = new PlainReporter((s) => out.push(s));
  r.runStart({ title: 'Demo', total: 2 });
  r.stepStart(step, 0, 2, 'main');
  r.stepStatus(step, 'ignored in CI');
  r.stepEnd(result('passed', { attempts: 1 }));
  r.stepEnd(result('timedout', { message: 'timed out after 2m' }));
  const all = out.join('');
  t.match(all, /^runbook: Demo, 2 steps\nPASS \[1\/2\] deploy \(4\.2s\) r\.md:7\nTIME \[1\/2\] deploy \(4\.2s, 3 attempts\) r\.md:7\n✖ step deploy timed out/);
  t.notMatch(all, /\x1b/);
  t.notMatch(all, /ignored in CI/);
});

t.test('colours: on for a TTY, off with NO_COLOR or without a TTY', async (t) => {
  const saved = { ...process.env };
  t.teardown(() => (process.env = saved));
  delete process.env.NO_COLOR;
  delete process.env.FORCE_COLOR;
  process.env.TERM = 'xterm';
  t.equal(colorWanted({ isTTY: true } as NodeJS.WriteStream), true);
  t.equal(colorWanted({ isTTY: false } as NodeJS.WriteStream), false);
  process.env.NO_COLOR = '1';
  t.equal(colorWanted({ isTTY: true } as NodeJS.WriteStream), false);
  t.equal(makeStyle(true).red('x'), '\x1b[31mx\x1b[39m');
});

t.test('terminal: live lines under the status line are redrawn in place and erased at the end', async (t) => {
  const { writes, stream } = fakeStream(true);
  const r = new TtyReporter(stream, makeStyle(false));
  const batches = [['a', 'b'], ['c', 'd', 'e', 'f', 'g']];
  const live = { next: () => batches.shift() ?? [], close() {} } as unknown as LiveOutput;
  r.stepStart(step, 0, 1, 'main');
  r.stepOutput(step, live);
  await new Promise((res) => setTimeout(res, 400));
  r.stepEnd(result('passed', { attempts: 1 }));
  const all = writes.join('');
  t.match(all, /deploy[^\n]*\n\x1b\[2K {2}a\n\x1b\[2K {2}b\x1b\[2A\r/, 'two lines drawn, then the cursor goes back up');
  t.match(all, /\n\x1b\[2K {2}c\n\x1b\[2K {2}d\n\x1b\[2K {2}e\n\x1b\[2K {2}f\n\x1b\[2K {2}g\x1b\[5A\r/, 'at most five: the last ones');
  t.match(all, /\r\x1b\[J✔ \[1\/1\] deploy/, 'erased before the verdict');
});

t.test('the summary counts every planned step and names those not run', async (t) => {
  const steps = [result('passed'), result('failed'), result('skipped'), result('not run', { message: 'not run: deploy failed before it' }), result('not run', { message: 'not run: deploy failed before it' })];
  const text = summarize({ status: 'failed', startedAt: '', durationMs: 1000, steps, facts: {}, notes: [] }, makeStyle(false));
  t.equal(text, '1 passed, 1 failed, 1 skipped, 2 not run\nnot run: deploy, deploy (deploy failed before it)\nrun failed in 1s');
});
