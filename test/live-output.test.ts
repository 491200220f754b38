// Live output of long steps: on a terminal the last lines under the progress line (redacted,
// replaced in place); without one, --verbose prints every line as it comes, prefixed by the
// step id. What is captured does not change.
import t from 'tap';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveOutput } from '../engine/execute/live-output.ts';
import type { CaptureFile } from '../engine/execute/session.ts';
import { makeRedactor } from '../engine/write/redact.ts';
import { BIN } from './support/cli.ts';
import { childEnv } from './support/child-env.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { TERMINAL_SKIP, openTerminal } from './support/terminal.ts';

const redact = makeRedactor();
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB', 'aFDrBz9vFqU4yD1mB5R0jmvlNJ4VZl5nUnSh3r8y0aBcDeFgHiJkLmNoPqRsTuVw', '-----END RSA PRIVATE KEY-----'];

t.test('LiveOutput: new complete lines, redacted, as a terminal shows them', async (t) => {
  const dir = tempDir(t);
  // The session writes every step's output to the same path: the step number tells them apart.
  const file = join(dir, 'out');
  writeFileSync(file, 'the step before\n');
  let current: CaptureFile | undefined = { path: file, step: 1 };
  const live = new LiveOutput(() => current, redact);
  t.same(live.next(), [], "the step before's output is not this step's");
  writeFileSync(file, '');
  current = { path: file, step: 2 };
  t.same(live.next(), []);
  appendFileSync(file, 'one\ntw');
  t.same(live.next(), ['one'], 'a line without its newline waits');
  appendFileSync(file, 'o\nprogress 10%\rprogress 100%\n');
  t.same(live.next(), ['two', 'progress 100%'], 'carriage returns overwrite, as on a terminal');
  appendFileSync(file, `key: AKIAIOSFODNN7EXAMPLE\n${PEM[0]}\n${PEM[1]}\n`);
  t.same(live.next(), ['key: [REDACTED]', '[REDACTED]'], 'a private key is masked from its first line');
  appendFileSync(file, `${PEM[2]}\n${PEM[3]}\n`);
  t.same(live.next(), ['[REDACTED]'], 'the rest of the key, read later, is masked too');
  appendFileSync(file, 'after the key\n');
  t.same(live.next(), ['after the key']);
  appendFileSync(file, Buffer.from('caf\xc3', 'latin1'));
  t.same(live.next(), []);
  appendFileSync(file, Buffer.from('\xa9 ok\nlast line', 'latin1'));
  rmSync(file); // the session takes the capture when the step ends
  t.same(live.next(true), ['café ok', 'last line'], 'a character cut between reads stays whole; the last lines come from the open file at the end');
  writeFileSync(file, 'second attempt\n');
  current = { path: file, step: 3 };
  t.same(live.next(), ['second attempt'], 'a new attempt starts from its own beginning');
  live.close();
});

t.test('without a terminal, --verbose prints each line as it comes, prefixed by the step id', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'v.md': '```bash run id=slow\necho line-1; echo "secret AKIAIOSFODNN7EXAMPLE"; while [ ! -f go ]; do sleep 0.05; done; echo done\n```\n\n```bash run id=quiet\necho quiet-line\n```\n' });
  const child = spawn(process.execPath, [BIN, 'run', 'v.md', '--verbose', '--report', 'r.json'], { cwd: dir, env: childEnv({ NO_COLOR: '1', CI: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  t.teardown(() => child.kill('SIGKILL'));
  const deadline = Date.now() + 30_000;
  while (!/^slow \| secret \[REDACTED\]$/m.test(out)) {
    if (Date.now() > deadline) throw new Error(`no live line; output so far:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  t.match(out, /^slow \| line-1$/m, 'the first line came while the step still runs');
  t.notMatch(out, /PASS \[1\/2\] slow/, 'the step has not ended yet');
  writeFileSync(join(dir, 'go'), '');
  t.equal(await exited, 0, out);
  t.match(out, /slow \| done\nPASS \[1\/2\] slow[^\n]*\nquiet \| quiet-line\nPASS \[2\/2\] quiet/);
  t.notMatch(out, /AKIAIOSFODNN7EXAMPLE/);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  t.equal(report.steps[0].output, 'line-1\nsecret [REDACTED]\ndone\n', 'the capture is as without --verbose');
});

t.test('on a terminal the last lines of a running step show under the progress line', { skip: TERMINAL_SKIP }, async (t) => {
  const dir = tempDir(t);
  const lines = Array.from({ length: 8 }, (_, i) => `echo progress-line-${i + 1}`).join('; ');
  writeFiles(dir, { 'l.md': `\`\`\`bash run id=long-step\n${lines}; echo "Authorization: Bearer abcdefghijklmnop1234"; while [ ! -f go ]; do sleep 0.05; done\n\`\`\`\n` });
  const term = openTerminal(t, ['run', 'l.md'], { cwd: dir });
  const screen = await term.waitFor(/Authorization: Bearer \[REDACTED\]/);
  t.match(screen, /. \[1\/1\] long-step [^\n]*\n {2}progress-line-5\n {2}progress-line-6\n {2}progress-line-7\n {2}progress-line-8\n {2}Authorization: Bearer \[REDACTED\]/, 'the last five lines, under the status line');
  t.notMatch(screen, /progress-line-4/, 'older lines are replaced in place');
  t.notMatch(screen, /abcdefghijklmnop1234/);
  writeFileSync(join(dir, 'go'), '');
  const done = await term.waitFor(/run passed in/);
  t.equal(await term.exitCode(), 0);
  t.match(done, /✔ \[1\/1\] long-step/);
  t.notMatch(done, /progress-line/, 'the live lines are gone once the step has ended');
});
