// Write-back under odd conditions: concurrent runs, read-only and hard-linked files, other
// owners, full and read-only file systems, a writer killed half-way. The author's file is
// never damaged, the refusal is one line, and nothing of the engine's is left beside it.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { writeBack } from '../engine/write/writeback.ts';
import { withFileLock } from '../engine/write/file-lock.ts';
import type { StepResult } from '../engine/execute/results.ts';
import { runCli, PROJECT } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { childEnv } from './support/child-env.ts';

const DOC = '```bash run id=x\necho\n```\n```text output\nTODO\n```\n';

function passed(rb: ReturnType<typeof loadRunbook>, output: string): StepResult[] {
  return rb.steps.map((step) => ({ step, phase: 'main', command: '', status: 'passed', attempts: 1, durationMs: 1, exitCode: 0, output }));
}

const isRoot = process.getuid?.() === 0;

t.test('two concurrent --write runs of the same file never both succeed', async (t) => {
  for (let trial = 0; trial < 3; trial++) {
    const dir = tempDir(t);
    // Each run waits in its step until both have read the file: they overlap for sure.
    const step = (me: string, other: string) => `\`\`\`bash run id=x\ntouch ${me}; until [ -e ${other} ]; do sleep 0.01; done\necho "written by ${me}"\n\`\`\`\n`;
    writeFiles(dir, { 'a.md': step('A', 'B').replace('touch A', 'touch "$WHO"').replace('[ -e B ]', '[ -e "$OTHER" ]').replace('written by A', 'written by $WHO') + '```text output\nTODO\n```\n' });
    const [a, b] = await Promise.all([
      runCli(['run', 'a.md', '--write'], { cwd: dir, env: { WHO: 'A', OTHER: 'B' } }),
      runCli(['run', 'a.md', '--write'], { cwd: dir, env: { WHO: 'B', OTHER: 'A' } }),
    ]);
    const codes = [a.code, b.code].sort();
    t.same(codes, [0, 1], `trial ${trial}: one wrote, the other refused (${a.out} | ${b.out})`);
    const loser = a.code === 1 ? a : b;
    t.match(loser.out, /not written: a\.md: it changed on disk during the run/);
    t.match(loser.out, /run passed in \S+\n1 file was not written \(see "not written" above\): exit 1/, 'the closing lines do not claim success');
    const winner = a.code === 0 ? 'A' : 'B';
    t.match(readFileSync(join(dir, 'a.md'), 'utf8'), new RegExp(`\`\`\`text output\\nwritten by ${winner}\\n\`\`\``), 'the file holds the winner\'s update, whole');
  }
});

t.test('the lock keeps a second writer out while the first holds it, and a dead holder\'s lock is taken over', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'd.md': DOC });
  const path = join(dir, 'd.md');
  const locks = join(dir, '.runbook', 'locks');
  let lockName = '';
  const second = withFileLock(path, locks, () => {
    lockName = readdirSync(locks)[0];
    try {
      return withFileLock(path, locks, () => 'got in', 200);
    } catch (e) {
      return (e as Error).message;
    }
  });
  t.match(second, /not writing .*d\.md: another runbook run \(pid \d+\) is writing it/);
  t.same(readdirSync(locks), [], 'released');
  writeFileSync(join(locks, lockName), '999999999'); // left by a run that was killed
  t.equal(withFileLock(path, locks, () => readFileSync(join(locks, lockName), 'utf8'), 200), String(process.pid), 'taken over');
  writeFileSync(join(locks, lockName), ''); // killed before it wrote its pid: taken over once it is old
  const old = (Date.now() - 60_000) / 1000;
  utimesSync(join(locks, lockName), old, old);
  t.equal(withFileLock(path, locks, () => 'got it', 200), 'got it');
  const rb = loadRunbook(path);
  t.same(writeBack(rb, passed(rb, 'new'), { updateExpected: false }).written, ['d.md']);
  t.same(readdirSync(dir).sort(), ['.runbook', 'd.md'], 'nothing of the engine beside the source');
});

t.test('a read-only file stays read-only; a hard-linked file is refused; a file of another owner keeps its owner', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'ro.md': DOC, 'linked.md': DOC });
  chmodSync(join(dir, 'ro.md'), 0o444);
  const ro = loadRunbook(join(dir, 'ro.md'));
  // Rewritten the way `sed -i` rewrites it (the contract's conformance copies its read-only cases
  // and writes them back), and still read-only afterwards.
  t.same(writeBack(ro, passed(ro, 'new'), { updateExpected: false }).written, ['ro.md']);
  t.not(readFileSync(join(dir, 'ro.md'), 'utf8'), DOC);
  t.equal(statSync(join(dir, 'ro.md')).mode & 0o777, 0o444, 'the mode is kept');
  linkSync(join(dir, 'linked.md'), join(dir, 'other-name.md'));
  const linked = loadRunbook(join(dir, 'linked.md'));
  const refusedLink = writeBack(linked, passed(linked, 'new'), { updateExpected: false });
  t.match(refusedLink.refused[0]?.reason, /it has 2 hard links/);
  t.equal(statSync(join(dir, 'linked.md')).ino, statSync(join(dir, 'other-name.md')).ino, 'the link is intact');
  if (!isRoot) return t.comment('skipped the ownership case: it needs root to give the file another owner');
  writeFiles(dir, { 'owned.md': DOC });
  chownSync(join(dir, 'owned.md'), 1234, 4321);
  chmodSync(join(dir, 'owned.md'), 0o640);
  const owned = loadRunbook(join(dir, 'owned.md'));
  t.same(writeBack(owned, passed(owned, 'new'), { updateExpected: false }).written, ['owned.md']);
  const st = statSync(join(dir, 'owned.md'));
  t.same([st.uid, st.gid, st.mode & 0o777], [1234, 4321, 0o640], 'owner, group and mode kept');
});

/** A tiny tmpfs of our own, when this machine lets us mount one (root, not in a locked-down container). */
function tinyFs(t: { teardown(fn: () => void): void }, sizeKb: number): string | undefined {
  if (!isRoot) return undefined;
  const dir = tempDir(t);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  if (r.status !== 0) return undefined;
  t.teardown(() => void spawnSync('umount', ['-l', dir]));
  return dir;
}

t.test('a full disk and a read-only file system are one-line refusals with exit 1, and the source is untouched', async (t) => {
  const fs = tinyFs(t, 256);
  if (!fs) return t.comment('skipped: this machine does not let the test mount a small tmpfs (the EFBIG case below runs everywhere)');
  const prose = `${'Some prose. '.repeat(1000)}\n`;
  const text = `${prose}${DOC}`;
  writeFiles(fs, { 'full.md': text });
  // Fill the rest of the file system.
  spawnSync('dd', ['if=/dev/zero', `of=${join(fs, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
  const full = await runCli(['run', 'full.md', '--write', '--report', 'r.json'], { cwd: fs });
  t.equal(full.code, 1, full.out);
  t.match(full.out, /runbook: not written: full\.md: cannot write .*full\.md: no space left on the device \(ENOSPC\)/);
  t.notMatch(full.out, /internal error|\n\s+at /, 'no stack trace');
  t.equal(readFileSync(join(fs, 'full.md'), 'utf8'), text, 'the source is as it was');
  t.same(readdirSync(fs).filter((f) => f.endsWith('.tmp')), [], 'no temp file beside it');
  spawnSync('rm', ['-f', join(fs, 'filler')]);
  spawnSync('mount', ['-o', 'remount,ro', fs]);
  const ro = await runCli(['run', 'full.md', '--write'], { cwd: fs });
  t.equal(ro.code, 1, ro.out);
  t.match(ro.out, /cannot write|read-only/);
  t.notMatch(ro.out, /internal error/);
});

t.test('a file too large for the process limit is a one-line refusal (EFBIG), wherever mount is not allowed', async (t) => {
  const dir = tempDir(t);
  const text = `${'Some prose. '.repeat(12000)}\n${DOC}`; // ~140 KB, over the 64 KB limit below
  writeFiles(dir, { 'big.md': text });
  const r = spawnSync('bash', ['-c', `ulimit -f 64; trap '' XFSZ; exec "${process.execPath}" "${join(PROJECT, 'bin', 'runbook.js')}" run big.md --write`], {
    cwd: dir,
    encoding: 'utf8',
    env: childEnv({ CI: '1', NO_COLOR: '1' }),
  });
  t.equal(r.status, 1, r.stdout + r.stderr);
  t.match(r.stderr, /not written: big\.md: cannot write .*big\.md: the file is too large for this file system \(EFBIG\)/);
  t.equal(readFileSync(join(dir, 'big.md'), 'utf8'), text);
});

t.test('a writer killed half-way leaves no temp file beside the source; the next write clears its leftover', async (t) => {
  const dir = tempDir(t);
  const target = join(dir, 'doc.md');
  writeFileSync(target, 'original\n');
  const staging = join(dir, '.runbook', 'tmp');
  // The writer writes a first chunk, says so, and then blocks inside the write (its chunk source
  // never returns): it is killed while its temp file exists, whatever the machine's speed.
  const script = `import { writeSync } from 'node:fs';
import { writeFileAtomic } from ${JSON.stringify(join(PROJECT, 'engine/write/atomic-write.ts'))};
function* chunks() {
  yield 'a'.repeat(65536);
  writeSync(1, 'mid-write\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
writeFileAtomic(${JSON.stringify(target)}, chunks(), { stagingDir: ${JSON.stringify(staging)} });`;
  writeFileSync(join(dir, 'writer.mts'), script);
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'writer.mts')], { cwd: PROJECT, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise((r) => child.on('exit', r));
  let said = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d) => {
      said += d;
      if (said.includes('mid-write')) resolve();
    });
    child.on('exit', () => resolve());
  });
  const killedMidWrite = said.includes('mid-write') && existsSync(staging) && readdirSync(staging).length === 1;
  child.kill('SIGKILL');
  await exited;
  t.ok(killedMidWrite, 'the writer was killed while its temp file existed');
  t.same(readdirSync(dir).sort(), ['.runbook', 'doc.md', 'writer.mts'], 'nothing beside the source');
  t.equal(readFileSync(target, 'utf8'), 'original\n', 'the source is whole');
  t.equal(readdirSync(staging).length, 1, 'the killed writer\'s temp is in the staging directory');
  const { writeFileAtomic } = await import('../engine/write/atomic-write.ts');
  writeFileAtomic(target, 'next\n', { stagingDir: staging });
  t.same(readdirSync(staging), [], 'the next write removed it');
  t.equal(readFileSync(target, 'utf8'), 'next\n');
});

t.test('a file written in chunks appears whole or not at all: a chunk source that fails leaves the old file and no temp file', async (t) => {
  const { writeFileAtomic } = await import('../engine/write/atomic-write.ts');
  const dir = tempDir(t);
  const target = join(dir, 'index.json');
  writeFileSync(target, 'old\n');
  function* chunks(failAfter?: number) {
    for (let i = 0; i < 5; i++) {
      if (i === failAfter) throw new Error('the source of the chunks failed');
      yield `chunk ${i} ${'é'.repeat(i)}\n`;
    }
  }
  t.throws(() => writeFileAtomic(target, chunks(3)), /cannot write .*index\.json: the source of the chunks failed/);
  t.equal(readFileSync(target, 'utf8'), 'old\n', 'the old file is untouched');
  t.same(readdirSync(dir), ['index.json'], 'no temp file is left');
  writeFileAtomic(target, chunks());
  t.equal(readFileSync(target, 'utf8'), [...chunks()].join(''), 'every chunk, in order, as UTF-8');
});
