// A session's scratch files: private, removed as soon as they are read, free of secrets between
// steps, gone after the run — and after a SIGKILL of the runner, gone at once (the holder
// removes them) or at the next start (when there was no holder). Captures stay bounded.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../engine/execute/session.ts';
import { removeStaleScratch, scratchRoot } from '../engine/execute/session-files.ts';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { BIN, runCli } from './support/cli.ts';
import { childEnv } from './support/child-env.ts';
import { filesUnder, tempDir, writeFiles } from './support/tmp.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

async function until(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A session whose scratch is `scratch` (RUNBOOK_TMPDIR), closed when the test ends. */
async function sessionIn(t: { teardown(fn: () => unknown): void }, scratch: string, env: NodeJS.ProcessEnv = process.env): Promise<Session> {
  process.env.RUNBOOK_TMPDIR = scratch;
  t.teardown(() => void delete process.env.RUNBOOK_TMPDIR);
  const s = new Session({ env, cwd: scratch });
  t.teardown(() => s.close());
  await s.ready();
  return s;
}

const holding = (files: Map<string, string>, text: string) => [...files].filter(([, body]) => body.includes(text)).map(([path]) => path);

function pidsRunning(text: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid)
    .filter((n) => {
      try {
        return readFileSync(`/proc/${n}/cmdline`, 'latin1').replace(/\0/g, ' ').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const RUNBOOK = (marker: string, sleep: string) =>
  [
    '```bash run id=leak',
    'echo "key: $AWS_SECRET_ACCESS_KEY"',
    'export DB_PASSWORD="$AWS_SECRET_ACCESS_KEY-db"',
    '```',
    '```bash run id=wait',
    `touch ${marker}`,
    `sleep ${sleep}`,
    '```',
    '',
  ].join('\n');

for (const held of [true, false]) {
  t.test(`SIGKILL of the runner ${held ? 'with' : 'without'} a holder: no process, no scratch with a secret${held ? '' : ' after the next start'}`, async (t) => {
    const dir = tempDir(t);
    const scratch = tempDir(t);
    const sleep = held ? '55.1' : '55.2';
    writeFiles(dir, { 'k.md': RUNBOOK(join(dir, 'marker'), sleep) });
    const env = childEnv({ CI: '1', RUNBOOK_TMPDIR: scratch, AWS_SECRET_ACCESS_KEY: SECRET, ...(held ? {} : { RUNBOOK_NO_HOLDER: '1' }) });
    const runner = spawn(process.execPath, [BIN, 'run', 'k.md'], { cwd: dir, env, stdio: 'ignore' });
    const exited = new Promise((r) => runner.on('exit', r));
    await until('the second step runs', () => existsSync(join(dir, 'marker')) && pidsRunning(`sleep ${sleep}`).length > 0);
    const sessionDir = readdirSync(scratch).find((n) => n.startsWith('runbook-session-'));
    t.ok(sessionDir, 'the session works in RUNBOOK_TMPDIR');
    t.equal(statSync(join(scratch, sessionDir!)).mode & 0o777, 0o700, 'its directory is private');
    t.same(holding(filesUnder(scratch), SECRET), [], 'between steps no scratch file holds the secret (dumps and captures are removed once read)');
    runner.kill('SIGKILL');
    await exited;
    if (held) {
      await until('the holder ends the step and removes the scratch', () => pidsRunning(`sleep ${sleep}`).length === 0 && readdirSync(scratch).length === 0);
      t.pass('nothing is left the moment the runner dies');
    } else {
      // Nothing ended the step: its processes are ours to end here (they carry the marker).
      for (const pid of pidsRunning(`sleep ${sleep}`)) process.kill(pid, 'SIGKILL');
      t.ok(readdirSync(scratch).length > 0, 'without a holder the scratch stays until the next start');
    }
    writeFiles(dir, { 'next.md': '```bash run\necho next start\n```\n' });
    const next = spawn(process.execPath, [BIN, 'run', 'next.md'], { cwd: dir, env, stdio: 'ignore' });
    const code = await new Promise((r) => next.on('exit', r));
    t.equal(code, 0);
    t.same(readdirSync(scratch), [], 'the next start removed what the killed run left; its own scratch is gone too');
  });
}

t.test('stale scratch: removed when its engine is gone or is a newer process with the same pid, kept while it runs', async (t) => {
  const root = tempDir(t);
  const make = (name: string, ageMs = 0) => {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'dump.sh'), `declare -x AWS_SECRET_ACCESS_KEY="${SECRET}"\n`);
    const when = (Date.now() - ageMs) / 1000;
    utimesSync(dir, when, when);
    return dir;
  };
  const child = spawn('sleep', ['56.5'], { stdio: 'ignore' });
  t.teardown(() => void child.kill('SIGKILL'));
  await until('the stand-in engine runs', () => existsSync(`/proc/${child.pid}`));
  const dead = make('runbook-session-999999999-aaaaaa');
  const reused = make(`runbook-session-${child.pid}-bbbbbb`, 3_600_000); // made an hour before that process started
  const live = make(`runbook-session-${child.pid}-cccccc`);
  const mine = make(`runbook-session-${process.pid}-dddddd`);
  const other = make('not-a-session');
  removeStaleScratch(root);
  t.notOk(existsSync(dead), 'the engine is gone');
  t.notOk(existsSync(reused), 'the pid now belongs to a process started after the directory was made');
  t.ok(existsSync(live), 'its engine still runs');
  t.ok(existsSync(mine), 'this process');
  t.ok(existsSync(other), 'not a session directory');
});

t.test('a small /dev/shm (64 MB, as containers often have) is passed over for the disk', async (t) => {
  const saved = process.env.RUNBOOK_TMPDIR;
  delete process.env.RUNBOOK_TMPDIR;
  t.teardown(() => void (saved === undefined ? delete process.env.RUNBOOK_TMPDIR : (process.env.RUNBOOK_TMPDIR = saved)));
  t.equal(scratchRoot(join(tempDir(t), 'no-such-shm')), tmpdir(), 'no /dev/shm: the temp directory');
  const small = tempDir(t);
  if (process.getuid?.() !== 0 || spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', small]).status !== 0) {
    return t.comment('skipped the small-tmpfs case: this machine does not let the test mount one');
  }
  t.teardown(() => void spawnSync('umount', ['-l', small]));
  t.equal(scratchRoot(small), tmpdir(), 'a 64 MB one: the temp directory');
});

t.test('per-step files are removed once read; a session leaves nothing behind', async (t) => {
  const scratch = tempDir(t);
  const s = await sessionIn(t, scratch, { ...process.env, API_TOKEN: SECRET });
  for (let i = 0; i < 20; i++) await s.run({ script: `echo "$API_TOKEN" step ${i}; export N=${i}`, timeoutMs: 5000 });
  await s.env();
  await s.cwd();
  const files = filesUnder(scratch);
  t.same([...files.keys()].map((p) => p.split('/').pop()).sort(), ['session.log', 'step-stdout.sh', 'step.sh'], 'only the step lines and the log: no step\'s code stays');
  t.same(holding(files, SECRET), [], 'no secret at rest');
  await s.close();
  t.same(readdirSync(scratch), [], 'closed: nothing left');
});

t.test('a step that writes without end keeps its capture bounded and its end readable', async (t) => {
  const s = await sessionIn(t, tempDir(t));
  // The step writes 48 MB, then watches its own capture file (its stdout) until the session has
  // cut it back: the file must not keep what nobody reads.
  const script = [
    'for i in $(seq 48); do head -c 1000000 /dev/zero | tr "\\0" a; echo; done',
    'for j in $(seq 400); do',
    '  [ "$(stat -L -c %b /proc/$$/fd/1)" -lt 40960 ] && { echo BOUNDED; break; }',
    '  sleep 0.05',
    'done',
    'echo THE END',
  ].join('\n');
  const r = await s.run({ script, timeoutMs: 60_000 });
  t.equal(r.exitCode, 0);
  t.match(r.output, /^\[runbook: the first \d+ bytes of this output are not shown\]\n/);
  t.match(r.output, /BOUNDED\nTHE END\n$/, 'the file was cut back to its last part while the step ran');
  t.ok(r.output.length <= 8 * 1024 * 1024 + 200, 'what is read is capped');
});

t.test('a background job that keeps writing to its finished step\'s capture does not fill the scratch', async (t) => {
  const s = await sessionIn(t, tempDir(t));
  await s.run({ script: '( for i in $(seq 300); do head -c 100000 /dev/zero | tr "\\0" b; sleep 0.005; done ) &\nWRITER=$!', timeoutMs: 5000 });
  // While the job writes 30 MB into the (removed) file, the largest it ever holds is sampled.
  const r = await s.run({
    script: 'max=0; while kill -0 $WRITER 2>/dev/null; do b=$(stat -L -c %b /proc/$WRITER/fd/1 2>/dev/null || echo 0); [ "$b" -gt "$max" ] && max=$b; sleep 0.02; done; echo "max $((max * 512))"',
    timeoutMs: 60_000,
  });
  const max = Number(/max (\d+)/.exec(r.output)?.[1]);
  t.ok(max < 16 * 1024 * 1024, `the file held at most ${max} bytes of the 30 MB written`);
});

t.test('a RUNBOOK_TMPDIR that does not exist stops the run before any step, with exit 2 and what to do', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'one.md': '# One\n\n```bash run id=hello\ntouch ran\n```\n' });
  const r = await runCli(['run', 'one.md'], { cwd: dir, env: { RUNBOOK_TMPDIR: join(dir, 'missing') } });
  t.equal(r.code, 2, r.out);
  t.match(r.out, `cannot make the session's scratch directory in ${join(dir, 'missing')} (ENOENT); nothing was run`);
  t.match(r.out, /RUNBOOK_TMPDIR must name an existing directory you can write to: create it, or unset RUNBOOK_TMPDIR\./);
  t.notMatch(r.out, /internal error|\n\s+at /, 'no stack trace');
  t.notOk(existsSync(join(dir, 'ran')), 'the step never ran');
});
