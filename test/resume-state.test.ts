// Saved session state in process: what a state file holds (no secrets, no starting
// environment), how the steps behind a state chain across resumed runs, the strict index, and
// the checks that refuse stale or incomplete state before anything runs.
import t from 'tap';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore, stepFingerprint } from '../engine/execute/state.ts';
import { indexJson, lineage, parseIndex, type StateRecord } from '../engine/execute/state-index.ts';
import { scrubState, splitState, stateDirectory } from '../engine/execute/state-entries.ts';
import { checkResume, keepsRunning, startsProcesses } from '../engine/execute/resume.ts';
import type { CommandStep, DirectiveStep, Runbook, Step } from '../engine/model.ts';
import type { StepResult } from '../engine/execute/results.ts';
import { RunbookError } from '../engine/errors.ts';
import { emptySettings } from '../engine/read/settings.ts';
import { tempDir } from './support/tmp.ts';
import { commandText } from '../engine/execute/step-executor.ts';

const base = { explicitId: true, section: [], exit: 0 as const, targets: [], tags: [], hidden: false, streamStdoutOnly: false };
const command = (id: string, code: string, line = 1, kind: CommandStep['kind'] = 'run'): CommandStep => ({ ...base, id, type: 'command', kind, lang: 'bash', code, position: { file: 'r.md', line } });
const directive = (id: string, verb: string): DirectiveStep => ({ ...base, id, type: 'directive', kind: 'run', verb, args: [], attrs: {}, flags: [], span: { start: 0, end: 0 }, position: { file: 'r.md', line: 9 } });
const runbookOf = (root: string, steps: Step[]): Runbook => ({ root, path: join(root, 'r.md'), settings: { ...emptySettings(), timeoutMs: 1000 }, files: [], steps });

const STATE = [
  'declare -gx HOME="/home/me"',
  'declare -gx DB_PASSWORD="hunter2-hunter2"',
  'declare -g COLOR="blue"',
  'declare -g NOTE="two',
  'lines"',
  'deploy () ',
  '{ ',
  '    curl -H "Authorization: Bearer abcdefghijklmnop" x',
  '}',
  'greet () ',
  '{ ',
  '    echo hi',
  '}',
  "cd -- /tmp/a\\ dir 2>/dev/null",
  '',
].join('\n');

t.test('a state taken apart: entries, multi-line values, functions, the directory', async (t) => {
  const entries = splitState(STATE);
  t.same(entries.map((e) => `${e.kind}:${e.name}`), ['var:HOME', 'var:DB_PASSWORD', 'var:COLOR', 'var:NOTE', 'function:deploy', 'function:greet', 'cd:']);
  t.equal(entries[3].text, 'declare -g NOTE="two\nlines"');
  t.equal(stateDirectory(entries), '/tmp/a dir');
  t.same(splitState('stray line\ndeclare -g A=1\ncd -- /x\necho after\n').map((e) => e.kind), ['other', 'var', 'cd', 'other'], 'lines that are no entry are kept apart, never glued to the cd line');
});

t.test('inside a function body only bash\'s own layout starts an entry: here-document text stays in the body', async (t) => {
  const dump =
    'declare -- X="1"\n' +
    'note () \n' +
    '{ \n' +
    '    cat <<EOF\n' +
    'cd -- /etc\n' +
    '}\n' +
    'no () \n' +
    'text\n' +
    'fake () \n' +
    '{ \n' +
    'declare -x EVIL=1\n' +
    'EOF\n' +
    '\n' +
    '}\n' +
    'other () \n' +
    '{ \n' +
    '    :\n' +
    '}\n' +
    'cd -- /work\n';
  const entries = splitState(dump);
  t.same(entries.map((e) => `${e.kind}:${e.name}@${e.line}`), ['var:X@0', 'function:note@1', 'function:other@14', 'cd:@18']);
  t.equal(entries[1].text, dump.split('\n').slice(1, 14).join('\n'), 'the here-document included: a `name () ` line starts a function only after a `}` and before a `{ `');
  t.equal(stateDirectory(entries), '/work', 'the directory is the last line\'s');
});

t.test('scrubbing: the starting environment and every secret stay out, their names are kept', async (t) => {
  const secret = (e: { kind: string; name: string; text: string }) => /PASSWORD/.test(e.name) || /Bearer/.test(e.text);
  const scrubbed = scrubState(STATE, new Set(['declare -gx HOME="/home/me"']), secret);
  t.same(scrubbed.secrets, ['DB_PASSWORD']);
  t.same(scrubbed.secretFunctions, ['deploy']);
  t.notMatch(scrubbed.text, /hunter2|abcdefghijklmnop|HOME=/);
  t.match(scrubbed.text, /COLOR="blue"[\s\S]*greet \(\)[\s\S]*cd -- \/tmp\/a\\ dir/);
});

t.test('the store: one file per distinct state, lineage across a resumed run, secrets by name', async (t) => {
  const root = tempDir(t);
  const a = command('a', 'A=1');
  const b = command('b', 'B=2');
  const c = command('c', 'C=3');
  const first = new StateStore(root, join(root, 'r.md'), (e) => e.name === 'TOKEN');
  first.setBaseline('declare -gx PATH="/bin"\n');
  first.setPlanned(['a', 'b', 'c']);
  first.record('a', 'declare -gx PATH="/bin"\ncd -- /w\n', []);
  first.noteRan(a);
  first.record('b', 'declare -g A="1"\ndeclare -gx TOKEN="t0ps3cret"\ncd -- /w\n', ['bg']);
  first.noteRan(b);
  first.record('c', 'declare -g A="1"\ndeclare -gx TOKEN="t0ps3cret"\ncd -- /w\n', ['bg']);
  first.flush();
  const files = readdirSync(first.dir).sort();
  t.equal(files.filter((f) => f.startsWith('state-')).length, 2, 'states b and c are the same file');
  t.notOk(files.map((f) => readFileSync(join(first.dir, f), 'utf8')).join('').includes('t0ps3cret'), 'the secret is nowhere');
  t.equal(first.load('a')!.text, 'cd -- /w\n', 'the starting environment is not saved');
  const savedB = first.load('b')!;
  t.match(savedB, { stepId: 'b', running: ['bg'], secrets: ['TOKEN'], planned: ['a', 'b', 'c'] });
  t.same(savedB.lineage, [['a', stepFingerprint(a)]]);
  t.same(first.load('c')!.lineage.map(([id]) => id), ['a', 'b']);

  // A resumed run continues the chain; the run it came from is kept as long as it is needed.
  const second = new StateStore(root, join(root, 'r.md'));
  second.setPlanned(['a', 'b', 'c']);
  second.resumeFrom(savedB);
  second.noteRan(b);
  second.record('c', 'declare -g A="1"\ndeclare -g B="2"\ncd -- /w\n', []);
  second.flush();
  t.same(second.load('c')!.lineage.map(([id]) => id), ['a', 'b'], 'a from the first run, b from the second');
  t.equal(second.load('b')!.ref.run, savedB.ref.run, 'the first run stays: b still points at it');
  t.equal(second.load('missing'), undefined);
  void c;
});

t.test('a later run replaces what it recorded again; runs and state files no step needs any more are removed', async (t) => {
  const root = tempDir(t);
  const steps = ['a', 'b', 'c'].map((id) => command(id, `${id.toUpperCase()}=1`));
  const runOnce = (states: Record<string, string>) => {
    const store = new StateStore(root, join(root, 'r.md'));
    store.setPlanned(steps.map((s) => s.id));
    for (const step of steps.filter((s) => states[s.id])) {
      store.record(step.id, states[step.id], []);
      store.noteRan(step);
    }
    store.flush();
    return store;
  };
  const index = (store: StateStore) => JSON.parse(readFileSync(join(store.dir, 'index.json'), 'utf8'));
  const stateFiles = (store: StateStore) => readdirSync(store.dir).filter((f) => f.startsWith('state-')).sort();
  const first = runOnce({ a: 'cd -- /one\n', b: 'declare -g A="1"\ncd -- /one\n', c: 'declare -g B="1"\ncd -- /one\n' });
  const firstRun = index(first).steps.a.run;
  t.equal(stateFiles(first).length, 3);
  const second = runOnce({ b: 'declare -g A="2"\ncd -- /two\n', c: 'declare -g A="2"\ncd -- /two\n' });
  const after = index(second);
  t.equal(after.steps.a.run, firstRun, 'a, not run again, keeps the first run\'s state');
  t.not(after.steps.b.run, firstRun, 'b and c are the second run\'s');
  t.same(Object.keys(after.runs).sort(), [firstRun, after.steps.b.run].sort(), 'both runs are still needed');
  t.equal(stateFiles(second).length, 2, "the first run's states of b and c are gone; b and c share one file now");
  t.equal(second.load('a')!.text, 'cd -- /one\n');
  const third = runOnce({ a: 'cd -- /three\n', b: 'cd -- /three\n', c: 'cd -- /three\n' });
  const last = index(third);
  t.same(Object.keys(last.runs), [last.steps.a.run], 'runs no step points at are dropped');
  t.same(stateFiles(third), [last.steps.a.state], 'and so are their state files');
});

t.test('the index is written in chunks that join to exactly what JSON.stringify writes', async (t) => {
  const record = (i: number): StateRecord => ({ state: 'state-0123456789abcdef.sh', secrets: i % 7 ? [] : ['TOKEN'], secretFunctions: [], run: 'r1', ran: i, running: i % 5 ? [] : ['bg'] });
  const steps: [string, StateRecord][] = Array.from({ length: 3000 }, (_, i) => [`step-${i}`, record(i)]);
  const runs = {
    r1: { from: null, ran: steps.map(([id]): [string, string] => [id, 'f'.repeat(12)]), planned: steps.map(([id]) => id) },
    r2: { from: { run: 'r1', ran: 2 }, ran: [], planned: ['step-0'] },
  };
  const chunks = [...indexJson(runs, steps)];
  t.ok(chunks.length > 3, `${chunks.length} chunks`);
  t.ok(chunks.every((c) => c.length < 80 * 1024), 'none much longer than 64 KB');
  const whole = { version: 2, runs, steps: Object.fromEntries(steps) };
  t.equal(chunks.join(''), JSON.stringify(whole));
  t.same(parseIndex(chunks.join(''), 'i.json'), whole);
  t.equal([...indexJson({}, [])].join(''), '{"version":2,"runs":{},"steps":{}}');
});

t.test('the index is untrusted input: every shape problem is a usage error naming the file', async (t) => {
  const good = { version: 2, runs: { r1: { from: null, ran: [['a', 'f1']], planned: ['a', 'b'] } }, steps: { b: { state: 'state-0123456789abcdef.sh', run: 'r1', ran: 1, running: [], secrets: [], secretFunctions: [] } } };
  t.same(lineage(parseIndex(JSON.stringify(good), 'i.json'), 'r1', 1), [['a', 'f1']]);
  const bad: [string, unknown, RegExp][] = [
    ['null', null, /i\.json: expected a JSON object/],
    ['an old index', { b: 'state-0123456789abcdef.sh' }, /saved by an older engine; this engine reads version 2/],
    ['another version', { ...good, version: 3 }, /format version 3/],
    ['no runs', { version: 2, steps: {} }, /expected "runs" and "steps" objects/],
    ['a bad run id', { ...good, runs: { '../x': good.runs.r1 } }, /run id "\.\.\/x" is not a run id/],
    ['a bad from', { ...good, runs: { r1: { ...good.runs.r1, from: 'r0' } } }, /"from" must be null or \{ run, ran \}/],
    ['a bad ran list', { ...good, runs: { r1: { ...good.runs.r1, ran: [['a']] } } }, /"ran" must be a list of \[step id, fingerprint\]/],
    ['no planned list', { ...good, runs: { r1: { from: null, ran: [] } } }, /"planned" must be a list of step ids/],
    ['a path', { ...good, steps: { b: { ...good.steps.b, state: '../../etc/passwd' } } }, /"\.\.\/\.\.\/etc\/passwd" is not a state file name/],
    ['an inherited run name', { ...good, steps: { b: { ...good.steps.b, run: 'toString' } } }, /names an unknown run/],
    ['a negative count', { ...good, steps: { b: { ...good.steps.b, ran: -1 } } }, /"ran" must be a count/],
    ['running not a list', { ...good, steps: { b: { ...good.steps.b, running: 'bg' } } }, /"running" must be a list/],
    ['a secret that is no name', { ...good, steps: { b: { ...good.steps.b, secrets: ['$(rm -rf /)'] } } }, /"secrets" and "secretFunctions" must be lists of names/],
    ['a count past its run', { ...good, steps: { b: { ...good.steps.b, ran: 5 } } }, /run r1 ran 1 steps, not 5/],
    ['a chain that loops', { ...good, runs: { r1: { ...good.runs.r1, from: { run: 'r1', ran: 1 } } } }, /its chain of runs loops/],
    ['a chain with a hole', { ...good, runs: { r1: { ...good.runs.r1, from: { run: 'r0', ran: 1 } } } }, /run r0 is missing/],
  ];
  for (const [what, index, pattern] of bad) {
    t.throws(() => parseIndex(JSON.stringify(index), 'i.json'), pattern, what);
  }
  t.throws(() => parseIndex('{', 'i.json'), /i\.json: not valid JSON/);
  try {
    parseIndex('null', 'i.json');
  } catch (e) {
    t.ok(e instanceof RunbookError && e.exitCode === 2, 'exit 2');
    t.match((e as RunbookError).hint, /delete i\.json/);
  }
});

t.test('the store refuses a state file that is not what it wrote', async (t) => {
  const root = tempDir(t);
  const store = new StateStore(root, join(root, 'r.md'));
  store.setPlanned(['a']);
  store.record('a', 'declare -g A="1"\n', []);
  store.flush();
  const file = join(store.dir, readdirSync(store.dir).find((f) => f.startsWith('state-'))!);
  writeFileSync(file, 'declare -g A="2"\n');
  t.throws(() => store.load('a'), /changed since it was saved/);
  writeFileSync(join(store.dir, 'index.json'), '[]');
  t.throws(() => store.load('a'), /expected a JSON object/);
  store.record('a', 'declare -g A="3"\n', []);
  store.flush();
  t.match(store.load('a'), { text: 'declare -g A="3"\n' }, 'a broken index is replaced by the next run, never trusted');
});

t.test('checkResume refuses stale state, missing secrets, secret functions and broken bash', async (t) => {
  const root = tempDir(t);
  const a = command('a', 'export A=1');
  const b = command('b', 'echo $A', 5);
  const store = new StateStore(root, join(root, 'r.md'));
  const saved = {
    stepId: 'b', text: 'declare -g A="1"\n', lineage: [['a', stepFingerprint(a)]] as [string, string][], running: [], secrets: [], secretFunctions: [], ref: { run: 'r', ran: 1 }, planned: ['a', 'b'], file: 'state.sh',
  };
  t.doesNotThrow(() => checkResume(runbookOf(root, [a, b]), [a, b], saved, {}, store));
  const changed = command('a', 'export A=2');
  t.throws(() => checkResume(runbookOf(root, [changed, b]), [changed, b], saved, {}, store), /a \(r\.md:1\): changed/);
  const inserted = command('x', 'true', 3);
  t.throws(() => checkResume(runbookOf(root, [a, inserted, b]), [a, inserted, b], saved, {}, store), /x \(r\.md:3\): added before b/);
  t.throws(() => checkResume(runbookOf(root, [b]), [b], saved, {}, store), /a: no step has this id any more/);
  t.throws(() => checkResume(runbookOf(root, [a, b]), [a, b], { ...saved, secrets: ['API_TOKEN', 'DB_PASSWORD'] }, { API_TOKEN: 'x' }, store), /leaves out the value of DB_PASSWORD \(secrets are never saved\)/);
  t.doesNotThrow(() => checkResume(runbookOf(root, [a, b]), [a, b], { ...saved, secrets: ['API_TOKEN'] }, { API_TOKEN: 'x' }, store), 'a secret the environment has');
  t.throws(() => checkResume(runbookOf(root, [a, b]), [a, b], { ...saved, secretFunctions: ['deploy'] }, {}, store), /leaves out the function deploy: its body holds a secret/);
  t.throws(() => checkResume(runbookOf(root, [a, b]), [a, b], { ...saved, text: 'if then\n' }, {}, store), /state\.sh: not valid bash \(.*syntax error/);
});

t.test('what a resumed run must start again', async (t) => {
  const result = (step: Step, extra: Partial<StepResult> = {}): StepResult => ({ step, phase: 'main', command: '', status: 'passed', attempts: 1, durationMs: 1, exitCode: 0, output: '', ...extra });
  const bg = command('bg', 'exec sleep 1', 1, 'background');
  t.ok(keepsRunning(result(bg)));
  t.notOk(keepsRunning(result(bg, { status: 'failed' })), 'a background step that failed runs nothing');
  t.notOk(keepsRunning(result(command('x', 'true'))));
  t.ok(keepsRunning(result(directive('pf', 'port-forward'), { data: { portForward: { localPort: 1 } } })));
  t.ok(keepsRunning(result(directive('gw', 'ingress'), { data: { ingress: { how: 'port-forward' } } })));
  t.notOk(keepsRunning(result(directive('gw', 'ingress'), { data: { ingress: { how: 'load-balancer-ip' } } })), 'a load balancer needs no forward');
  t.ok(startsProcesses(bg) && startsProcesses(directive('gw', 'ingress')) && !startsProcesses(directive('w', 'wait')) && !startsProcesses(command('x', 'true')));
});

t.test('a directive reads as its comment text', async (t) => {
  const step = { ...directive('gw', 'port-forward'), args: [], attrs: { service: 'kiali', note: 'two words' }, flags: ['quiet'] };
  t.equal(commandText(step), 'runbook: port-forward service=kiali note="two words" quiet');
  t.equal(commandText(command('c', 'echo hi')), 'echo hi');
});
