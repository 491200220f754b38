// Interactive runs on a real terminal (tmux): every key before a step and after a failure, the
// shell inside the session (a fix made there makes the retry pass; Ctrl-C in it leaves the run
// alive), q and Ctrl-C, --shell-on-failure, what the reports and --write make of it, and that
// without a terminal both flags are usage errors at once.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { TERMINAL_SKIP, openTerminal, processesWith } from './support/terminal.ts';
import { until } from './support/until.ts';

const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\`\n\n`;

const WALK = [
  '# Demo\n\n## Start\n\nSay hello, and make a place to work.\n\n',
  fence('bash run id=hello', 'echo hello; echo ran >> hello-count'),
  '## A step that needs a fix\n\nIt passes once FIX is set and fixed-file exists.\n\n',
  fence('bash run id=needs-fix', 'test "$FIX" = yes && test -f fixed-file && echo "fixed: $FIX"'),
  fence('text output', 'TODO'),
  fence('bash run id=to-skip', 'touch skipped-ran; echo skipped'),
  fence('text output', 'TODO'),
  fence('bash run id=jumped', 'touch jumped-ran'),
  fence('bash background id=server', 'exec sleep 76.25'),
  // The background step may not have reached its exec yet: poll (a server that never starts fails at the timeout).
  fence('bash run timeout=20s id=uses-server', 'until pgrep -f "sleep 76.25" >/dev/null; do sleep 0.02; done; echo "server up"'),
  fence('text output', 'TODO'),
  fence('bash run id=fails-again', 'echo broken; false'),
  fence('text output', 'TODO'),
  fence('bash run id=last', 'echo the end'),
  fence('bash cleanup id=tidy', 'echo tidy > cleaned'),
].join('');

t.test('without a terminal, --interactive and --shell-on-failure are usage errors and run nothing', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'r.md': fence('bash run id=a', 'touch ran') + fence('bash cleanup id=c', 'touch cleaned') });
  for (const flag of ['--interactive', '-i', '--shell-on-failure']) {
    const r = await runCli(['run', 'r.md', flag], { cwd: dir, timeoutMs: 20_000 });
    t.equal(r.code, 2, `${flag} → 2\n${r.out}`);
    t.match(r.out, new RegExp(`${flag === '-i' ? '--interactive' : flag} needs a terminal, but stdin and stdout are not one here; nothing was run`));
    t.match(r.out, /in CI or a pipe run without it/);
    t.notOk(existsSync(join(dir, 'ran')) || existsSync(join(dir, 'cleaned')), 'nothing ran, not even cleanup');
  }
});

t.test('a walk through every key, a fix in the shell, and what the reports and --write make of it', { skip: TERMINAL_SKIP }, async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'r.md': WALK });
  const term = openTerminal(t, ['run', 'r.md', '-i', '--write', '--report', 'r.json', '--report', 'r.html'], { cwd: dir });

  // 1: the card says where the step is, what the prose says, and what will run.
  let screen = await term.waitFor(/\[Enter\] run/);
  t.match(screen, /── step 1 of 8 · hello · run · r\.md:7 /);
  t.match(screen, /Demo › Start\n {2}Say hello, and make a place to work\.\n\$ echo hello; echo ran >> hello-count/);
  t.match(screen, /\[Enter\] run \[s\] skip \[c\] continue \[b\] jump \[q\] quit \[\?\]/, 'no [r] yet: nothing to run again');
  let at = term.mark();
  term.send('?');
  await term.waitFor(/ {2}Enter {2}run this step\n {2}s {2}skip it\n[\s\S]*q {2}stop: cleanup runs, exit 130\n\[Enter\] run/, { from: at });
  at = term.mark();
  term.send('Enter');
  await term.waitFor(/✔ \[1\/8\] hello[\s\S]*step 2 of 8 · needs-fix[\s\S]*\[r\] re-run last/, { from: at });

  // 2: it fails; a shell inside the run fixes it; Ctrl-C there leaves the run alive; retry passes.
  at = term.mark();
  term.send('Enter');
  await term.waitFor(/✖ step needs-fix failed at r\.md:15[\s\S]*needs-fix failed: \[r\] retry \[s\] skip \[e\] shell \[v\] output \[q\] quit/, { from: at });
  at = term.mark();
  term.send('e');
  await term.waitFor(/runbook:needs-fix\$ $/m, { from: at });
  term.type('export FIX=yes; touch fixed-file; echo "in the shell: $RUNBOOK_SHELL"');
  await term.waitFor(/in the shell: needs-fix/, { from: at });
  term.type('sleep 77.5');
  await until(() => processesWith('sleep 77.5').length === 1, 'the sleep in the shell');
  term.send('C-c');
  await until(() => processesWith('sleep 77.5').length === 0, 'Ctrl-C to end the sleep');
  term.type('echo still-here');
  await term.waitFor(/^still-here$/m, { from: at });
  term.type('exit');
  screen = await term.waitFor(/the session keeps what the shell changed: set FIX\n/, { from: at });
  t.notMatch(screen, /interrupted|SIGINT/, 'Ctrl-C in the shell never reached the run');
  at = term.mark();
  term.send('r');
  await term.waitFor(/✔ \[2\/8\] needs-fix \S+, 2 attempts — passed after a fix in the shell[\s\S]*step 3 of 8 · to-skip[\s\S]*\[r\] re-run last/, { from: at });

  // 3: r runs the previous step again; s skips.
  at = term.mark();
  term.send('r');
  await term.waitFor(/✔ \[2\/8\] needs-fix \S+, 3 attempts[\s\S]*step 3 of 8 · to-skip[\s\S]*\[Enter\] run/, { from: at });
  at = term.mark();
  term.send('s');
  await term.waitFor(/○ \[3\/8\] to-skip 0ms — skipped by hand[\s\S]*step 4 of 8 · jumped[\s\S]*\[Enter\] run/, { from: at });

  // 4: b lists the steps and jumps forward; the background step passed over runs anyway.
  at = term.mark();
  term.send('b');
  screen = await term.waitFor(/jump forward to step \(number or id; Enter to stay\): $/m, { from: at });
  t.match(screen, /▸ {3}4 {2}jumped {2}run · r\.md:\d+\n {4}5 {2}server {2}background · r\.md:\d+ \(runs even when jumped over\)/);
  term.type('2');
  await term.waitFor(/2 is behind this step; jumps go forward only/, { from: at });
  term.type('uses-server');
  await term.waitFor(/○ \[4\/8\] jumped 0ms — skipped by a jump[\s\S]*✔ \[5\/8\] server[\s\S]*step 6 of 8 · uses-server[\s\S]*\[Enter\] run/, { from: at });

  // 5: c runs on until a failure; v shows its output; s goes on without it; Enter runs the last.
  at = term.mark();
  term.send('c');
  await term.waitFor(/✔ \[6\/8\] uses-server[\s\S]*✖ \[7\/8\] fails-again[\s\S]*fails-again failed: \[r\] retry/, { from: at });
  at = term.mark();
  term.send('v');
  await term.waitFor(/# output of fails-again \(r\.md:\d+\)\nbroken\n[\s\S]*fails-again failed: \[r\] retry/, { from: at });
  at = term.mark();
  term.send('s');
  await term.waitFor(/step 8 of 8 · last[\s\S]*\[Enter\] run/, { from: at });
  term.send('Enter');
  screen = await term.waitFor(/run failed in/, { from: at });
  t.match(screen, /✔ \[8\/8\] last[\s\S]*✔ \[cleanup\] tidy[\s\S]*6 passed, 1 failed, 2 skipped, 0 not run/, 'steps skipped by hand and by the jump count as skipped');
  t.equal(await term.exitCode(), 1, 'a step was left failed');

  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  t.equal(report.interactive, true);
  const step = (id: string) => report.steps.find((s: { id: string }) => s.id === id);
  t.match(step('needs-fix'), { status: 'passed', attempts: 3, manual: { retries: 2, shells: 1, fixedInShell: true } });
  t.match(step('needs-fix').earlierAttempts, [{ status: 'failed', exitCode: 1, shellAfter: true }, { status: 'passed' }]);
  t.match(step('to-skip'), { status: 'skipped', message: 'skipped by hand', manual: { skipped: 'by hand' } });
  t.match(step('jumped'), { status: 'skipped', manual: { skipped: 'by jump' } });
  t.match(step('server'), { status: 'passed', manual: { startedOnJump: true } });
  t.match(step('fails-again'), { status: 'failed', manual: { leftFailed: true } });
  t.match(step('hello'), { status: 'passed', attempts: 1, manual: null });
  t.equal(readFileSync(join(dir, 'hello-count'), 'utf8'), 'ran\n', 'hello ran once');
  t.notOk(existsSync(join(dir, 'skipped-ran')) || existsSync(join(dir, 'jumped-ran')), 'skipped steps never ran');
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  t.match(html, /By hand: run again by hand 2 times; shell opened 1 time; passed after a fix in the shell/);
  t.match(html, /By hand: skipped by hand/);
  t.match(html, /attempt 1: failed, exit 1, [^<]+ — exit code 1, expected 0 <span class="muted">\(then a shell was opened\)<\/span>/);

  // --write: outputs of steps that passed, and nothing of skipped or failed ones.
  const written = readFileSync(join(dir, 'r.md'), 'utf8');
  t.match(written, /id=needs-fix\n[^\n]+\n```\n\n```text output\nfixed: yes\n```/);
  t.match(written, /id=uses-server\n[^\n]+\n```\n\n```text output\nserver up\n```/);
  t.match(written, /id=to-skip\n[^\n]+\n```\n\n```text output\nTODO\n```/, 'a step skipped by hand keeps its placeholder');
  t.match(written, /id=fails-again\n[^\n]+\n```\n\n```text output\nTODO\n```/, 'a failed step writes nothing');
  t.same(processesWith('sleep 76.25'), [], 'the background step is gone');
});

t.test('q stops at a prompt: cleanup runs, exit 130, no process of the run survives', { skip: TERMINAL_SKIP }, async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'q.md': fence('bash background id=server', 'exec sleep 78.5') + fence('bash run id=a', 'touch a-ran') + fence('bash cleanup id=tidy', 'touch cleaned') });
  const term = openTerminal(t, ['run', 'q.md', '--interactive', '--report', 'q.json'], { cwd: dir });
  await term.waitFor(/step 1 of 2 · server/);
  term.send('Enter');
  await term.waitFor(/step 2 of 2 · a/);
  await until(() => processesWith('sleep 78.5').length === 1, 'the background step to run');
  t.equal(processesWith('sleep 78.5').length, 1, 'the background step runs');
  term.send('q');
  const screen = await term.waitFor(/run interrupted in/);
  t.match(screen, /✔ \[cleanup\] tidy[\s\S]*2 passed, 0 failed, 0 skipped, 1 not run\nnot run: a \(the run was stopped with q\)/);
  t.equal(await term.exitCode(), 130);
  t.ok(existsSync(join(dir, 'cleaned')), 'cleanup ran');
  t.notOk(existsSync(join(dir, 'a-ran')));
  t.same(processesWith('sleep 78.5'), [], 'no process of the run survives');
  t.match(JSON.parse(readFileSync(join(dir, 'q.json'), 'utf8')).steps[1], { id: 'a', status: 'not run', message: 'not run: the run was stopped with q' });
});

t.test('Ctrl-C during a step stops only that step; the person chooses what next', { skip: TERMINAL_SKIP }, async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'c.md': fence('bash run id=slow', 'sleep 79.5') + fence('bash run id=after', 'echo after') + fence('bash cleanup id=tidy', 'touch cleaned') });
  const term = openTerminal(t, ['run', 'c.md', '-i'], { cwd: dir });
  await term.waitFor(/step 1 of 2 · slow/);
  term.send('Enter');
  await until(() => processesWith('sleep 79.5').length === 1, 'the step to start');
  term.send('C-c');
  await term.waitFor(/note: Ctrl-C: stopping this step only[\s\S]*interrupted \(Ctrl-C\): only this step was stopped[\s\S]*slow failed: \[r\] retry/);
  t.same(processesWith('sleep 79.5'), [], "the step's process is gone");
  term.send('s');
  await term.waitFor(/step 2 of 2 · after/);
  term.send('Enter');
  await term.waitFor(/✔ \[2\/2\] after[\s\S]*run failed in/);
  t.equal(await term.exitCode(), 1);
});

t.test('--shell-on-failure: the shell opens at the failure; a fix there makes the retry pass', { skip: TERMINAL_SKIP }, async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    's.md': fence('bash run id=first', 'helper() { echo "helper says $1"; }; LOCAL_ONLY=kept') + fence('bash run id=needs', 'test -f made-in-shell && echo "$ANSWER $LOCAL_ONLY $(helper hi) $(basename "$PWD")"') + fence('bash run id=next', 'echo next'),
  });
  const term = openTerminal(t, ['run', 's.md', '--shell-on-failure', '--report', 's.json'], { cwd: dir });
  await term.waitFor(/Shell inside the run at needs[\s\S]*runbook:needs\$ $/m);
  let at = term.mark();
  term.type('echo "[$LOCAL_ONLY] [$(helper x)]"');
  await term.waitFor(/^\[kept\] \[helper says x\]$/m, { from: at });
  term.type('sleep 84.5 &');
  await until(() => processesWith('sleep 84.5').length === 1, 'the job started in the shell');
  term.type('mkdir -p sub && cd sub && touch made-in-shell && export ANSWER=42 && unset -f nothing; exit');
  await term.waitFor(/the session keeps what the shell changed: set ANSWER; directory now .*\/sub\nneeds failed: \[r\] retry/, { from: at });
  at = term.mark();
  term.send('r');
  const screen = await term.waitFor(/run passed in/, { from: at });
  t.match(screen, /✔ \[2\/3\] needs \S+, 2 attempts — passed after a fix in the shell\n✔ \[3\/3\] next/);
  t.equal(await term.exitCode(), 0);
  const needs = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).steps[1];
  t.equal(needs.output, '42 kept helper says hi sub\n', 'variables, functions and directory came from the shell');
  t.match(needs.manual, { shells: 1, fixedInShell: true, retries: 1 });
  t.same(processesWith('sleep 84.5'), [], 'a job left running in the shell ends with the run');
});

t.test('SIGTERM while the shell is open ends the shell and the run: exit 130, nothing left', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'term.md': fence('bash run id=broken', 'false') + fence('bash cleanup id=tidy', 'touch cleaned') });
  const term = openTerminal(t, ['run', 'term.md', '--shell-on-failure'], { cwd: dir });
  await term.waitFor(/runbook:broken\$ $/m);
  term.type('sleep 85.5');
  await until(() => processesWith('sleep 85.5').length === 1, 'the command in the shell');
  const [runbook] = processesWith('run term.md --shell-on-failure');
  process.kill(runbook, 'SIGTERM');
  t.equal(await term.exitCode(), 130);
  t.ok(existsSync(join(dir, 'cleaned')), 'cleanup ran');
  t.same(processesWith('sleep 85.5'), [], 'the shell and its command are gone');
});
