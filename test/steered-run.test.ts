// A run steered by a person, in process: the runner with a scripted step control (skip, run the
// last step again, jump, retry after a fix, quit), and the terminal control's keys on a stand-in
// input — so the choices and what the results say of them are checked without a terminal.
import t from 'tap';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { makePlan } from '../engine/plan.ts';
import { executePlan } from '../engine/execute/runner.ts';
import type { BeforeStepChoice, FailureChoice, StepControl, StepView } from '../engine/execute/step-control.ts';
import type { Reporter } from '../engine/progress/reporter.ts';
import type { StepResult } from '../engine/execute/results.ts';
import { TerminalControl } from '../engine/interactive/control.ts';
import { decodeKey } from '../engine/interactive/keys.ts';
import { applyShellState, describeChanges, openSessionShell, shellRc } from '../engine/interactive/shell.ts';
import { StateStore } from '../engine/execute/state.ts';
import { PlainReporter } from '../engine/progress/plain.ts';
import { processesWith } from './support/terminal.ts';
import { Session } from '../engine/execute/session.ts';
import { proseAbove, stepCard } from '../engine/interactive/card.ts';
import { makeStyle } from '../engine/progress/style.ts';
import { closestName, editDistance, unusedSetWarnings } from '../engine/commands/set-names.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const silent: Reporter = { runStart() {}, stepStart() {}, stepStatus() {}, stepEnd() {}, runEnd() {}, note() {} };
const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\`\n\n`;

class Script implements StepControl {
  readonly seen: string[] = [];
  constructor(
    private readonly before: ((view: StepView) => BeforeStepChoice)[],
    private readonly failure: ((result: StepResult) => FailureChoice)[],
  ) {}
  async beforeStep(view: StepView): Promise<BeforeStepChoice> {
    this.seen.push(`before ${view.plan.steps[view.index].step.id}`);
    return this.before.shift()?.(view) ?? { do: 'run' };
  }
  async afterFailure(result: StepResult): Promise<FailureChoice> {
    this.seen.push(`failed ${result.step.id}`);
    return this.failure.shift()?.(result) ?? { do: 'default', shells: 0 };
  }
  stepRunning(): void {}
}

function book(t: { teardown(fn: () => void): void }) {
  const dir = tempDir(t);
  writeFiles(dir, {
    'r.md':
      '# Walk\n\nSome prose above the first step,\nover two lines.\n\n' +
      fence('bash run id=a', 'echo a >> a.count') +
      fence('bash run id=b', 'test -f fixed') +
      fence('bash run id=c', 'touch c-ran') +
      fence('bash run id=d', 'touch d-ran') +
      fence('bash background id=bg', 'exec sleep 83.5') +
      fence('bash run id=e', 'echo e') +
      fence('bash cleanup id=tidy', 'touch cleaned'),
  });
  const runbook = loadRunbook(join(dir, 'r.md'));
  return { dir, runbook, plan: makePlan(runbook, {}) };
}

const run = (dir: string, runbook: ReturnType<typeof loadRunbook>, plan: ReturnType<typeof makePlan>, control: StepControl) =>
  executePlan(runbook, plan, { workdir: dir, sets: {}, keepGoing: false, reporter: silent, signal: new AbortController().signal, control });

t.test('skip, a retry after a fix, running the last step again, a jump, and what the results say', async (t) => {
  const { dir, runbook, plan } = book(t);
  const control = new Script(
    [() => ({ do: 'run' }), () => ({ do: 'run' }), () => ({ do: 'rerun-previous' }), () => ({ do: 'skip' }), (v) => ({ do: 'jump', to: v.index + 2 })],
    [
      () => {
        writeFileSync(join(dir, 'fixed'), ''); // what a person would do in the shell
        return { do: 'retry', shells: 1 };
      },
    ],
  );
  const result = await run(dir, runbook, plan, control);
  t.same(control.seen, ['before a', 'before b', 'failed b', 'before c', 'before c', 'before d', 'before e']);
  const by = (id: string) => result.steps.find((r) => r.step.id === id)!;
  t.match(by('b'), { status: 'passed', attempts: 3, manual: { retries: 2, shells: 1, fixedInShell: true } });
  t.match(by('b').earlier, [{ status: 'failed', shellAfter: true }, { status: 'passed' }]);
  t.match(by('c'), { status: 'skipped', manual: { skipped: 'by hand' }, message: 'skipped by hand' });
  t.match(by('d'), { status: 'skipped', manual: { skipped: 'by jump' } });
  t.match(by('bg'), { status: 'passed', manual: { startedOnJump: true } });
  t.match(by('e'), { status: 'passed' });
  t.equal(result.status, 'passed');
  t.equal(result.interactive, true);
  t.notOk(existsSync(join(dir, 'c-ran')) || existsSync(join(dir, 'd-ran')));
  t.same(result.steps.map((r) => r.step.id), ['a', 'b', 'c', 'd', 'bg', 'e', 'tidy'], 'plan order, cleanup last');
});

t.test('quit: the rest is not run, cleanup runs, the run is interrupted', async (t) => {
  const { dir, runbook, plan } = book(t);
  const result = await run(dir, runbook, plan, new Script([() => ({ do: 'run' }), () => ({ do: 'quit' })], []));
  t.equal(result.status, 'interrupted');
  t.same(result.steps.map((r) => `${r.step.id}:${r.status}`), ['a:passed', 'b:not run', 'c:not run', 'd:not run', 'bg:not run', 'e:not run', 'tidy:passed']);
  t.equal(result.steps[1].message, 'not run: the run was stopped with q');
  t.ok(existsSync(join(dir, 'cleaned')));
});

t.test('a failure left behind, and quitting at a failure', async (t) => {
  const left = book(t);
  const goOn = await run(left.dir, left.runbook, left.plan, new Script([], [() => ({ do: 'skip', shells: 0 })]));
  t.equal(goOn.status, 'failed', 'a failure left behind fails the run');
  t.match(goOn.steps[1], { status: 'failed', manual: { leftFailed: true } });
  t.equal(goOn.steps[5].status, 'passed', 'the run went on');
  const quit = book(t);
  const stopped = await run(quit.dir, quit.runbook, quit.plan, new Script([], [() => ({ do: 'quit', shells: 2 })]));
  t.equal(stopped.status, 'interrupted');
  t.match(stopped.steps[1], { status: 'failed', manual: { shells: 2 } });
  t.equal(stopped.steps[2].message, 'not run: the run was stopped with q');
  const plain = book(t);
  const unsteered = await run(plain.dir, plain.runbook, plain.plan, new Script([], [() => ({ do: 'default', shells: 0 })]));
  t.equal(unsteered.steps[2].message, 'not run: b failed before it');
});

/** A stand-in terminal: keys go in as a person types them, what is shown is collected. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const shown: string[] = [];
  const output = Object.assign(new PassThrough(), { columns: 80 });
  output.on('data', (d) => shown.push(String(d)));
  return { input, output: output as unknown as NodeJS.WriteStream, shown: () => shown.join('') };
}

t.test('the terminal control: keys before a step and after a failure', async (t) => {
  const { runbook, plan } = book(t);
  const term = fakeTerminal();
  process.env.PAGER = 'true';
  const control = new TerminalControl({ interactive: true, input: term.input, output: term.output, style: makeStyle(false), reporter: silent, keepGoing: false });
  t.teardown(() => control.close());
  const view = (index: number, previous?: StepResult): StepView => ({ runbook, plan, index, session: undefined as never, previous });
  const ask = async (index: number, keys: string, previous?: StepResult) => {
    const choice = control.beforeStep(view(index, previous));
    term.input.write(keys);
    return choice;
  };
  t.same(await ask(0, 'x?r\r'), { do: 'run' }, 'unknown keys are ignored; r without a previous step says so');
  t.match(term.shown(), /── step 1 of 6 · a · run · \S*r\.md:6 [\s\S]*Some prose above the first step,\n {2}over two lines\.\n\$ echo a >> a\.count\n\[Enter\] run \[s\] skip \[c\] continue \[b\] jump \[q\] quit \[\?\]/);
  t.match(term.shown(), / {2}Enter {2}run this step/, 'help');
  t.match(term.shown(), /no step has run yet/);
  const previous = { step: plan.steps[0].step } as StepResult;
  t.same(await ask(1, 'r', previous), { do: 'rerun-previous' });
  t.same(await ask(1, 's', previous), { do: 'skip' });
  t.same(await ask(1, 'v\x03', previous), { do: 'quit' }, 'v shows the command in the pager; Ctrl-C quits');
  t.same(await ask(1, 'q', previous), { do: 'quit' });
  const background = { step: plan.steps[4].step } as StepResult;
  t.same(await ask(5, 'rs', background), { do: 'skip' });
  t.match(term.shown(), /bg is a background step and still runs; it is not started twice/);
  t.same(await ask(1, 'c', previous), { do: 'run' });
  t.same(await control.beforeStep(view(2, previous)), { do: 'run' }, 'after c: no more questions until a failure');
  const failed = { step: plan.steps[1].step, status: 'failed', output: 'boom\n', diff: '-a\n+b' } as StepResult;
  const afterFailure = (keys: string) => {
    const choice = control.afterFailure(failed, view(1, previous));
    term.input.write(keys);
    return choice;
  };
  t.same(await afterFailure('?vr'), { do: 'retry', shells: 0 });
  t.match(term.shown(), /b failed: \[r\] retry \[s\] skip \[e\] shell \[v\] output \[q\] quit \[\?\]/);
  t.match(term.shown(), / {2}e {2}open a shell inside the run/);
  t.same(await afterFailure('s'), { do: 'skip', shells: 0 });
  t.same(await afterFailure('q'), { do: 'quit', shells: 0 });
  const asked = control.beforeStep(view(2, previous));
  t.same(await Promise.race([asked, new Promise((r) => setImmediate(() => r('waiting')))]), 'waiting', 'after a failure it asks again');
  control.abort();
  t.same(await asked, { do: 'quit' }, 'a stopping run ends the question');
});

t.test('b: the list of steps and a jump by number or id, forward only', async (t) => {
  const { runbook, plan } = book(t);
  const term = fakeTerminal();
  const control = new TerminalControl({ interactive: true, input: term.input, output: term.output, style: makeStyle(false), reporter: silent, keepGoing: false });
  t.teardown(() => control.close());
  const view: StepView = { runbook, plan, index: 2, session: undefined as never };
  const choice = control.beforeStep(view);
  term.input.write('b');
  await new Promise((r) => setImmediate(r));
  term.input.write('1\r');
  await new Promise((r) => setImmediate(r));
  term.input.write('e\r');
  t.same(await choice, { do: 'jump', to: 5 });
  t.match(term.shown(), /▸ {3}3 {2}c {2}run · \S*r\.md:\d+\n {4}4 {2}d {2}run · \S*r\.md:\d+\n {4}5 {2}bg {2}background · \S*r\.md:\d+ \(runs even when jumped over\)/);
  t.match(term.shown(), /1 is behind this step; jumps go forward only/);
});

t.test('keys, the card, and --set names', async (t) => {
  t.same(['\r', '\n', '\x03', '\x04', '\x1b[A', 'S'].map(decodeKey), ['enter', 'enter', 'ctrl-c', 'ctrl-d', 'escape', 's']);
  const { runbook, plan } = book(t);
  t.same(proseAbove(runbook, plan.steps[0].step), ['Some prose above the first step,', 'over two lines.']);
  t.same(proseAbove(runbook, plan.steps[1].step), [], 'no prose between two steps');
  const long = Array.from({ length: 20 }, (_, i) => `echo ${i}`).join('\n');
  const card = stepCard({ runbook, step: plan.steps[0].step, index: 0, total: 6, target: 'kind', command: long, width: 200 }, makeStyle(false));
  t.match(card, /── step 1 of 6 · a · run · \S*r\.md:6 · target kind ─+\nWalk\n/);
  t.match(card, /echo 14\n {2}… 5 more lines \(v shows the whole command\)$/);
  t.equal(editDistance('AWS_REGON', 'AWS_REGION'), 1);
  t.equal(editDistance('ab', 'ba'), 1, 'a transposition is one edit');
  t.equal(closestName('AWS_REGON', ['AWS_REGION', 'AWS_PROFILE']), 'AWS_REGION');
  t.equal(closestName('COMPLETELY_ELSE', ['AWS_REGION']), undefined);
  t.same(unusedSetWarnings({ E_VAR: '1', HOME: '/x' }, runbook, { HOME: '/root' }), ['--set E_VAR: no step or setting of this runbook uses E_VAR'], 'a name of the environment is fine; one nothing uses is not');
});

t.test("the shell's state becomes the session's: set, unset, functions, directory", async (t) => {
  const dir = tempDir(t);
  const session = new Session({ env: { ...process.env, OLD: 'was-exported' }, cwd: dir });
  t.teardown(() => session.close());
  await session.ready();
  await session.run({ script: 'KEEP=1; gone() { :; }; stays() { echo stays; }', timeoutMs: 5000 });
  const before = await session.snapshot();
  // What the in-session shell hands back when it exits: its whole state, dumped by bash.
  const dump = spawnSync('bash', ['--noprofile', '--norc', '-c', `${before.text}\nexport NEW="fresh value"; unset OLD; unset -f gone; PS1='runbook:x$ '; cd /tmp; { declare -p; declare -f; printf 'cd -- %q\\n' "$PWD"; }`], { env: await session.env(), encoding: 'utf8' }).stdout;
  const changes = await applyShellState(session, before.text, dump);
  t.same(changes.set, ['NEW']);
  t.same(changes.unset, ['OLD']);
  t.same(changes.functions, ['gone (removed)']);
  t.equal(changes.cwd?.to, '/tmp');
  t.equal(describeChanges(changes), 'the session keeps what the shell changed: set NEW; unset OLD; functions gone (removed); directory now /tmp');
  const after = await session.run({ script: 'echo "$NEW|${OLD-unset}|$KEEP|$PWD|${PS1-no prompt}"; type gone >/dev/null 2>&1 || echo "gone is gone"; stays', timeoutMs: 5000 });
  t.equal(after.output, 'fresh value|unset|1|/tmp|no prompt\ngone is gone\nstays\n');
  t.equal(describeChanges({ set: [], unset: [], functions: [], lost: false }), 'the shell changed nothing in the session');
  t.match(describeChanges({ set: [], unset: [], functions: [], lost: true }), /without handing its state back/);
  t.match(shellRc('declare -g A="1"\n', 'my-step'), /PS1='runbook:my-step\$ '\nunset HISTFILE\nexport RUNBOOK_SHELL='my-step'\ntrap '/);
});

t.test('the in-session shell: the state goes in by pipe and comes back when it exits', async (t) => {
  const dir = tempDir(t);
  const session = new Session({ env: { ...process.env }, cwd: dir });
  t.teardown(() => session.close());
  await session.ready();
  await session.run({ script: 'QUIET_VAR=from-the-run; helper() { echo "helper $1"; }', timeoutMs: 5000 });
  let stop: (() => void) | undefined;
  const changes = await openSessionShell(session, {
    stepId: 'demo',
    typed: 'test "$QUIET_VAR" = from-the-run && test "$(helper x)" = "helper x" && test "$RUNBOOK_SHELL" = demo && export SEEN=yes\nmkdir -p inner && cd inner\nexit\n',
    onStart: (s) => (stop = s),
  });
  t.ok(stop, 'the run can end the shell');
  t.same(changes.set, ['SEEN'], 'the shell saw the run’s variables and functions');
  t.equal(changes.cwd?.to, join(dir, 'inner'));
  t.equal((await session.run({ script: 'echo "$SEEN $(basename "$PWD")"', timeoutMs: 5000 })).output, 'yes inner\n');
  const lost = await openSessionShell(session, { stepId: 'demo', typed: 'trap - EXIT; exit\n' });
  t.ok(lost.lost, 'a shell whose EXIT trap was removed hands nothing back');
});

t.test('resume in process: the saved state restored as a step, what ran started again, failures stop the run', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'r.md': fence('bash background id=bg', 'exec sleep 86.5') + fence('bash run id=set', 'export COLOR=blue') + fence('bash run id=needs', 'test -f go && echo "$COLOR"') + fence('bash background id=broken ready=never', 'exit 3') + fence('bash cleanup id=tidy', 'touch cleaned'),
  });
  const runbook = loadRunbook(join(dir, 'r.md'));
  const first = await executePlan(runbook, makePlan(runbook, {}), { workdir: dir, sets: {}, keepGoing: false, reporter: silent, signal: new AbortController().signal });
  t.equal(first.status, 'failed');
  writeFileSync(join(dir, 'go'), '');
  const saved = new StateStore(runbook.root, runbook.path).load('needs')!;
  t.same(saved.running, ['bg']);
  const plan = makePlan(runbook, { from: 'needs', until: 'needs' });
  const resumed = await executePlan(runbook, plan, { workdir: dir, sets: { EXTRA: 'x' }, keepGoing: false, reporter: silent, signal: new AbortController().signal, resume: saved });
  t.equal(resumed.status, 'passed');
  t.match(resumed.restarted, [{ id: 'bg', file: runbook.steps[0].position.file, line: 1, status: 'passed' }]);
  t.equal(resumed.steps[0].output, 'blue\n');
  t.equal(resumed.resumedFrom, 'needs');

  const cannot = await executePlan(runbook, plan, { workdir: dir, sets: {}, keepGoing: false, reporter: silent, signal: new AbortController().signal, resume: { ...saved, running: ['broken'] } });
  t.equal(cannot.status, 'failed');
  t.match(cannot.steps[0], { status: 'not run', message: /not run: could not start broken again for --from needs: the background process exited before it was ready/ });
  const chatty = await executePlan(runbook, plan, { workdir: dir, sets: {}, keepGoing: false, reporter: silent, signal: new AbortController().signal, resume: { ...saved, text: 'echo chatty\n' } });
  t.match(chatty.refused, /resume: restoring \S+ failed \(exit 0\): chatty/);
  t.match(chatty.steps.at(-1), { phase: 'cleanup', status: 'not run', message: 'not run: the run was refused, so it touched nothing' });
  const stopping = new AbortController();
  stopping.abort();
  const cut = await executePlan(runbook, plan, { workdir: dir, sets: {}, keepGoing: false, reporter: silent, signal: stopping.signal, hardSignal: stopping.signal });
  t.equal(cut.status, 'interrupted');
  t.match(cut.steps.at(-1), { phase: 'cleanup', status: 'not run', message: 'not run: cleanup was cut short by a second interrupt' });
  t.same(processesWith('sleep 86.5'), [], 'nothing left running');
});

t.test('--verbose without a terminal: lines as they come, then what could not be read live', async (t) => {
  const out: string[] = [];
  const r = new PlainReporter((s) => out.push(s), makeStyle(false), true);
  const step = { id: 'v', type: 'command', kind: 'run', position: { file: 'v.md', line: 1 } } as unknown as StepResult['step'];
  const batches = [['first'], []];
  r.runStart({ title: 'V', total: 1 });
  r.stepStart(step, 0, 1, 'main');
  r.stepOutput(step, { next: () => batches.shift() ?? [], close() {} } as never);
  await new Promise((res) => setTimeout(res, 450));
  r.stepEnd({ step, phase: 'main', command: '', status: 'passed', attempts: 1, durationMs: 1, exitCode: 0, output: 'first\nsecond\n' });
  t.match(out.join(''), /^runbook: V, 1 step\nv \| first\nv \| second\nPASS \[1\/1\] v/);
});
