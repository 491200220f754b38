// The session skips its state dump after steps that cannot change the state. These tests check
// the judgement on its own, and — the part that matters — against real bash: every snippet
// judged "cannot change" leaves the dumped state exactly as it was.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { stateEffect } from '../engine/execute/state-effects.ts';
import { filterState } from '../engine/execute/shell-state.ts';
import { Session } from '../engine/execute/session.ts';
import { tempDir } from './support/tmp.ts';

const none = new Set<string>();

// Snippets that cannot change variables, functions or the directory of the shell.
const HARMLESS = [
  'echo step 1',
  'kubectl get pods -n istio-system -l app=istiod',
  'kubectl label namespace default istio-injection=enabled --overwrite',
  'kubectl wait --for=condition=available deployment --all -n default',
  'curl -s "http://$GATEWAY_URL/productpage" | grep -o "<title>.*</title>"',
  'kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath=\'{.items[0].metadata.name}\')" -c ratings -- curl -sS productpage:9080/productpage | head -3',
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: x # cd /tmp; export X=1\nEOF\necho done',
  "cat <<'END' | wc -l\nexport NOT_RUN=1\ncd /\nEND",
  '[ -f /etc/hostname ] && echo yes',
  '[[ -n "$HOME" ]] && echo home',
  'echo "a;b" \'c|d\' $\'e\\nf\' # export X=1',
  'ls /tmp >/dev/null 2>&1; true',
  'echo $(cd /; export X=2; pwd)',
  'printf "%s\\n" one two',
  'time -p true',
  'sleep 0.01 & echo started',
];

// Snippets that change the state (each one is checked to really do so).
const CHANGING = [
  'export A=1',
  'B=2',
  'cd /tmp',
  'pushd /tmp >/dev/null',
  'declare -a ARR=(x y)',
  'f() { echo f; }',
  'function g { echo g; }',
  'read -r R <<<"value"',
  'printf -v P "%s" 7',
  'let L=3',
  'echo $(( C = 4 ))',
  ': ${D:=5}',
  'for I in 1 2; do :; done',
  'source /dev/stdin <<<"S=6"',
  '. /dev/stdin <<<"S=7"',
  'eval "E=8"',
  'unset HOME',
  'mapfile -t M <<<"a"',
  'if true; then export IFX=1; fi',
  'true && export AND=1',
  'echo x | { read -r Y; }; Z=1',
  'exec {FD}>/dev/null',
  'command cd /',
  'builtin export BI=1',
  '"export" QUOTED=1',
  'x=cd; $x /',
];

t.test('the judgement: harmless code skips the dump, anything that may change the state does not', async (t) => {
  for (const code of HARMLESS) t.notOk(stateEffect(code, none).mayChange, `harmless: ${code}`);
  for (const code of CHANGING) t.ok(stateEffect(code, none).mayChange, `changes: ${code}`);
  t.ok(stateEffect('myfn arg', new Set(['myfn'])).mayChange, 'a call of a session function may change anything');
  t.ok(stateEffect('echo "unterminated', none).mayChange, 'code the scanner cannot follow counts as changing');
  t.ok(stateEffect('cat <<EOF\nno end', none).mayChange, 'an unterminated heredoc counts as changing');
  for (const code of ['trap "X=1" DEBUG', 'shopt -s expand_aliases', "alias ls='cd /'"]) {
    t.ok(stateEffect(code, none).unpredictableAfter, `after this nothing can be judged: ${code}`);
  }
});

/** The filtered state bash has after running each snippet in a fresh shell, and before it. */
function statesAround(code: string, cwd: string): { before: string; after: string } {
  const dump = `{ declare -p; declare -f; printf 'cd -- %q\\n' "$PWD"; }`;
  const script = `${dump} >"$1"\n. "$2" >/dev/null 2>&1\n${dump} >"$3"`;
  const files = ['before', 'code', 'after'].map((n) => `${cwd}/${n}`);
  writeFileSync(files[1], code + '\n');
  spawnSync('bash', ['--noprofile', '--norc', '-c', script, 'bash', ...files], { cwd, env: { PATH: process.env.PATH, HOME: '/root' }, stdio: 'ignore' });
  const read = (f: string) => filterState(readFileSync(f, 'utf8')).text;
  return { before: read(files[0]), after: read(files[2]) };
}

t.test('against real bash: harmless code leaves the state as it was; changing code changes it', async (t) => {
  const dir = tempDir(t);
  for (const code of HARMLESS) {
    const { before, after } = statesAround(code, dir);
    t.equal(after, before, `bash agrees nothing changed: ${code}`);
  }
  for (const code of CHANGING) {
    const { before, after } = statesAround(code, dir);
    t.not(after, before, `bash agrees the state changed: ${code}`);
  }
});

t.test('a session that skips dumps still restores every change after a step ends the shell', async (t) => {
  const s = new Session({ env: process.env, cwd: tempDir(t) });
  t.teardown(() => s.close());
  await s.ready();
  await s.run({ script: 'export KEPT=1; cd /tmp; h() { echo h; }', timeoutMs: 5000 });
  await s.run({ script: 'echo harmless', timeoutMs: 5000 });
  await s.exportVars({ FROM_DIRECTIVE: 'x' });
  await s.run({ script: 'echo harmless again', timeoutMs: 5000 });
  const killed = await s.run({ script: 'while :; do :; done', timeoutMs: 300 });
  t.ok(killed.timedOut);
  const r = await s.run({ script: 'echo "$KEPT $FROM_DIRECTIVE $PWD"; h', timeoutMs: 5000 });
  t.equal(r.output, '1 x /tmp\nh\n', 'variables, exports from directives, directory and functions came back');
  await s.run({ script: "trap 'COUNT=$((COUNT+1))' DEBUG", timeoutMs: 5000 });
  await s.run({ script: 'echo counted', timeoutMs: 5000 });
  t.match(s.lastState!.text, /COUNT=/, 'after a trap every step dumps: the trap\'s assignments are kept');
});

t.test('quoting the scanner must not be fooled by', async (t) => {
  t.ok(stateEffect('echo "${x:-it\'s}"; export Y=1; echo \'z }\'', none).mayChange, "a ' inside \"${…}\" is no quote");
  t.ok(stateEffect('echo "$(case $x in a) echo 1;; esac)"; export X=1', none).mayChange, 'case patterns inside $( )');
  t.ok(stateEffect('echo $(true # )\n); export X=1', none).mayChange, 'a comment inside $( )');
  t.ok(stateEffect('>"a b" export X=1', none).mayChange, 'a quoted redirection target before the command');
  t.ok(stateEffect('2>/dev/null export X=1', none).mayChange, 'a descriptor redirection before the command');
  t.ok(stateEffect('time -p export X=1', none).mayChange, 'options of a prefix word');
});
