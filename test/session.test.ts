import t from 'tap';
import { until } from './support/until.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Session } from '../engine/execute/session.ts';
import { tempDir } from './support/tmp.ts';

const alive = (pattern: string) => {
  try {
    execFileSync('pgrep', ['-f', pattern], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

async function session(t: { teardown(fn: () => unknown): void }, cwd: string) {
  const s = new Session({ env: { ...process.env, FROM_ENV: 'outer' }, cwd });
  t.teardown(() => s.close());
  await s.ready();
  return s;
}

t.test('environment, variables, arrays, functions and cwd carry over', async (t) => {
  const dir = tempDir(t);
  const s = await session(t, dir);
  await s.run({ script: 'export A=1\nB="two words"\ndeclare -a ARR=(x "y z")\ndeclare -A MAP=([k]=v)\nf() { echo "f:$1"; }\nmkdir -p sub && cd sub', timeoutMs: 5000 });
  const r = await s.run({ script: 'echo "$A|$B|${ARR[1]}|${MAP[k]}|$FROM_ENV|$(basename "$PWD")"; f ok; bash -c \'echo child:$A\'', timeoutMs: 5000 });
  t.equal(r.exitCode, 0);
  t.equal(r.output, '1|two words|y z|v|outer|sub\nf:ok\nchild:1\n');
  t.equal(await s.cwd(), join(dir, 'sub'));
  t.equal((await s.env()).A, '1');
});

t.test('unset variables and functions stay unset', async (t) => {
  const s = await session(t, tempDir(t));
  await s.run({ script: 'X=1; g() { :; }', timeoutMs: 5000 });
  await s.run({ script: 'unset X; unset -f g', timeoutMs: 5000 });
  const r = await s.run({ script: 'echo "${X-gone}"; type g >/dev/null 2>&1 || echo nofn', timeoutMs: 5000 });
  t.equal(r.output, 'gone\nnofn\n');
});

t.test('exit and set -e end only their step', async (t) => {
  const s = await session(t, tempDir(t));
  const exited = await s.run({ script: 'export KEPT=yes\nexit 7\necho never', timeoutMs: 5000 });
  t.equal(exited.exitCode, 7);
  t.equal(exited.output, '');
  const strict = await s.run({ script: 'set -euo pipefail\nfalse\necho never', timeoutMs: 5000 });
  t.equal(strict.exitCode, 1);
  const setOnly = await s.run({ script: 'set -eu -o pipefail; echo strict now', timeoutMs: 5000 });
  t.equal(setOnly.exitCode, 0, 'a step that only sets options passes');
  const after = await s.run({ script: 'false; echo "after:$KEPT${UNSET_VAR-}"', timeoutMs: 5000 });
  t.equal(after.exitCode, 0, 'set -e did not leak into the next step');
  t.equal(after.output, 'after:yes\n', 'variables set before exit still carry over');
});

t.test('a function whose here-document holds lines like a dump\'s own survives a new shell whole', async (t) => {
  // bash prints a function's here-document as written: its `cd -- …`, `name () ` and `declare`
  // lines are text of the body, not the dump's directory, a new function or a variable.
  const dir = tempDir(t);
  const s = await session(t, dir);
  const body = 'note() {\n  cat <<EOF\n}\ntext\nhelper () \n{ \ncd -- /\ndeclare -x EVIL=1\nEOF\n}\nhelper() { echo helped; }';
  await s.run({ script: body, timeoutMs: 5000 });
  const exited = await s.run({ script: 'exit 3', timeoutMs: 5000 });
  t.equal(exited.exitCode, 3, 'the shell ended: the next step runs in a new one, from the state');
  const r = await s.run({ script: 'note; helper; echo "${EVIL-unset} $PWD"', timeoutMs: 5000 });
  t.equal(r.exitCode, 0, r.output);
  t.equal(r.output, `}\ntext\nhelper () \n{ \ncd -- /\ndeclare -x EVIL=1\nhelped\nunset ${dir}\n`);
});

t.test('stdin is /dev/null and stdout/stderr interleave in order', async (t) => {
  const s = await session(t, tempDir(t));
  const r = await s.run({ script: 'cat; echo out1; echo err1 >&2; echo out2', timeoutMs: 5000 });
  t.equal(r.output, 'out1\nerr1\nout2\n');
  const split = await s.run({ script: 'echo out; echo err >&2', timeoutMs: 5000, stdoutOnly: true });
  t.equal(split.output, 'out\n');
  t.equal(split.stderr, 'err\n');
});

t.test('a timeout kills the whole process tree of the step', async (t) => {
  const s = await session(t, tempDir(t));
  const r = await s.run({ script: 'sleep 41.25 &\nbash -c "sleep 41.25"\n', timeoutMs: 500 });
  t.ok(r.timedOut);
  t.equal(r.exitCode, null);
  await until(() => !alive('sleep 41.25'), 'the step\'s processes to be gone');
  t.notOk(alive('sleep 41.25'), 'no process of the step survives');
  const next = await s.run({ script: 'echo still here', timeoutMs: 5000 });
  t.equal(next.output, 'still here\n', 'the session goes on');
});

t.test('abort signal interrupts a step', async (t) => {
  const s = await session(t, tempDir(t));
  const ac = new AbortController();
  const running = s.run({ script: 'sleep 30.75', timeoutMs: 60_000, signal: ac.signal });
  await until(() => alive('sleep 30.75'), 'the step to be running');
  ac.abort();
  const r = await running;
  t.ok(r.interrupted);
});

t.test('background processes live until close, then die', async (t) => {
  const dir = tempDir(t);
  const s = new Session({ env: process.env, cwd: dir });
  await s.ready();
  await s.run({ script: 'sleep 42.5 >/dev/null 2>&1 &', timeoutMs: 5000 });
  const bg = await s.startBackground('echo started; exec sleep 43.5');
  // A job forked by `&` shows as `sleep` only once it has reached its exec: wait for both.
  await until(() => alive('sleep 42.5') && alive('sleep 43.5'), 'the job and the background step to start');
  t.ok(alive('sleep 42.5'), 'a step\'s `cmd &` lives on after the step');
  t.ok(alive('sleep 43.5'), 'background step runs');
  t.ok(existsSync(bg.outputFile));
  await s.close();
  await until(() => !alive('sleep 42.5') && !alive('sleep 43.5'), 'the run\'s processes to be gone');
  t.notOk(alive('sleep 42.5'));
  t.notOk(alive('sleep 43.5'));
});

t.test('cwd= runs one step elsewhere and leaves the session directory alone', async (t) => {
  const dir = tempDir(t);
  const s = await session(t, dir);
  const other = tempDir(t);
  writeFileSync(join(other, 'marker'), '');
  const r = await s.run({ script: 'ls', timeoutMs: 5000, cwd: other });
  t.equal(r.output, 'marker\n');
  t.equal(await s.cwd(), dir);
});

t.test('saved state restores into a new session', async (t) => {
  const dir = tempDir(t);
  const a = await session(t, dir);
  await a.run({ script: 'export SAVED=42; h() { echo hi; }; cd /', timeoutMs: 5000 });
  const state = a.lastState!.text;
  const b = await session(t, dir);
  await b.restoreState(state);
  const r = await b.run({ script: 'echo "$SAVED $PWD"; h', timeoutMs: 5000 });
  t.equal(r.output, '42 /\nhi\n');
});

t.test('exported variables reach later steps', async (t) => {
  const s = await session(t, tempDir(t));
  await s.exportVars({ GATEWAY_URL: "1.2.3.4:80", QUOTED: "it's \"fine\" $HOME" });
  const r = await s.run({ script: 'echo "$GATEWAY_URL"; echo "$QUOTED"', timeoutMs: 5000 });
  t.equal(r.output, '1.2.3.4:80\nit\'s "fine" $HOME\n');
});

t.test('a step may use fd 3 and exec redirections for itself', async (t) => {
  const dir = tempDir(t);
  const s = await session(t, dir);
  const r = await s.run({ script: `exec 3>"${dir}/fd3.txt"; echo mine >&3; exec 3>&-; echo ok`, timeoutMs: 5000 });
  t.equal(r.exitCode, 0);
  t.equal(r.output, 'ok\n');
  const next = await s.run({ script: 'exec >/dev/null; echo hidden', timeoutMs: 5000 });
  t.equal(next.exitCode, 0);
  const after = await s.run({ script: 'echo visible again', timeoutMs: 5000 });
  t.equal(after.output, 'visible again\n', 'exec redirections end with their step');
});

t.test('a background job survives when a later step ends the shell', async (t) => {
  const s = await session(t, tempDir(t));
  await s.run({ script: 'sleep 45.5 >/dev/null 2>&1 &\nexport BG=$!', timeoutMs: 5000 });
  const exited = await s.run({ script: 'exit 4', timeoutMs: 5000 });
  t.equal(exited.exitCode, 4, 'the exit code of a step that ends the shell');
  const r = await s.run({ script: 'kill -0 "$BG" && echo alive', timeoutMs: 5000 });
  t.equal(r.output, 'alive\n');
  const killed = await s.run({ script: 'while :; do :; done', timeoutMs: 400 });
  t.ok(killed.timedOut, 'a busy builtin loop is ended by replacing the shell');
  const still = await s.run({ script: 'kill -0 "$BG" && echo still alive', timeoutMs: 5000 });
  t.equal(still.output, 'still alive\n');
});

t.test('a missing cwd= fails the step with the reason, and the session goes on', async (t) => {
  const dir = tempDir(t);
  const s = await session(t, dir);
  const r = await s.run({ script: 'echo never', timeoutMs: 5000, cwd: join(dir, 'nope') });
  t.not(r.exitCode, 0);
  t.match(r.output, /nope: No such file or directory/);
  t.equal(await s.cwd(), dir);
});

t.test('huge outputs keep their end and say what was left out', async (t) => {
  const s = await session(t, tempDir(t));
  const r = await s.run({ script: 'head -c 9000000 /dev/zero | tr "\\0" a; echo; echo THE END', timeoutMs: 20_000 });
  t.equal(r.exitCode, 0);
  t.ok(r.output.length <= 8 * 1024 * 1024 + 200, 'capped');
  t.match(r.output, /^\[runbook: the first \d+ bytes of this output are not shown\]\n/);
  t.match(r.output, /THE END\n$/);
});

t.test('a step defining env() does not break the session\'s own env lookup', async (t) => {
  const s = await session(t, tempDir(t));
  await s.run({ script: 'env() { echo wrapped; }; export SVC=productpage', timeoutMs: 5000 });
  t.equal((await s.env()).SVC, 'productpage');
});

t.test('the environment is read again only after something may have changed it', async (t) => {
  const dir = tempDir(t);
  // An `env` first on PATH that counts how often the session reads its environment.
  const bin = join(dir, 'bin');
  const reads = join(dir, 'reads');
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'env'), `#!/bin/sh\necho read >> ${JSON.stringify(reads)}\nexec /usr/bin/env "$@"\n`, { mode: 0o755 });
  const count = () => (existsSync(reads) ? readFileSync(reads, 'utf8').split('\n').filter(Boolean).length : 0);
  const s = new Session({ env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, cwd: dir });
  t.teardown(() => s.close());
  await s.ready();

  await s.run({ script: 'export STAGE=one', timeoutMs: 5000 });
  t.equal((await s.env()).STAGE, 'one');
  t.equal(count(), 1);
  await s.run({ script: 'echo nothing changes here', timeoutMs: 5000 });
  await s.run({ script: 'kubectl_like=$(echo x)', timeoutMs: 5000 }); // an assignment: it may change the state
  const after = await s.env();
  t.equal(after.STAGE, 'one');
  t.equal(count(), 2, 'read again after the assignment, not after the echo');
  t.equal(after.RUNBOOK_STEP, '3', 'the step number is current');
  await s.run({ script: 'true', timeoutMs: 5000 });
  t.equal((await s.env()).RUNBOOK_STEP, '4', 'the step number is current without a read');
  t.equal(count(), 2);

  await s.run({ script: 'set_stage() { export STAGE="$1"; }', timeoutMs: 5000 });
  await s.run({ script: 'set_stage two', timeoutMs: 5000 }); // a function of the session that exports
  t.equal((await s.env()).STAGE, 'two');
  await s.run({ script: 'unset STAGE', timeoutMs: 5000 });
  t.equal((await s.env()).STAGE, undefined);
  await s.exportVars({ INGRESS_HOST: '127.0.0.1' });
  t.equal((await s.env()).INGRESS_HOST, '127.0.0.1');
  await s.run({ script: 'exit 3', timeoutMs: 5000 }); // a new shell, restored
  t.equal((await s.env()).INGRESS_HOST, '127.0.0.1');
  t.equal(count(), 6, 'each change above was read once');
});
