// Matching and diffing stay bounded in time and memory on outputs of any size, and agree with
// the plain O(n·m) alignment (kept here as the reference) on everything small enough for it.
import t from 'tap';
import { matchers } from '../engine/match/index.ts';
import { alignsFully, ELLIPSIS, lineDiff, type LinePredicate } from '../engine/match/align.ts';
import { linesAlike } from '../engine/match/alike.ts';

/** The reference: dynamic programming over every (expected, actual) pair. */
function referenceAligns(expected: string[], actual: string[], same: LinePredicate): boolean {
  let reach = new Array<boolean>(actual.length + 1).fill(false);
  reach[0] = true;
  for (const e of expected) {
    const next = new Array<boolean>(actual.length + 1).fill(false);
    if (e.trim() === ELLIPSIS) {
      let seen = false;
      for (let j = 0; j <= actual.length; j++) next[j] = seen ||= reach[j];
    } else for (let j = 0; j < actual.length; j++) if (reach[j] && same(e, actual[j])) next[j + 1] = true;
    reach = next;
  }
  return reach[actual.length];
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

t.test('leftmost-first alignment agrees with the reference on 3,000 random cases', async (t) => {
  const seed = 20261201;
  const next = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const same: LinePredicate = (e, a) => e === a;
  let mismatches = 0;
  for (let k = 0; k < 3000; k++) {
    const expected = Array.from({ length: Math.floor(next() * 7) }, () => pick(['a', 'b', 'c', '...', '...']));
    const actual = Array.from({ length: Math.floor(next() * 8) }, () => pick(['a', 'b', 'c']));
    if (alignsFully(expected, actual, same) !== referenceAligns(expected, actual, same)) {
      mismatches++;
      t.fail(`seed ${seed} case ${k}: ${JSON.stringify(expected)} vs ${JSON.stringify(actual)}`);
    }
  }
  t.equal(mismatches, 0, `seed ${seed}`);
});

t.test('every diff accounts for both sides: drop + lines to get expected, drop - lines to get actual', async (t) => {
  const next = random(7);
  const check = (expected: string[], actual: string[], label: string) => {
    const body = lineDiff(expected, actual, (e, a) => e === a, false).split('\n').slice(2);
    if (body.some((l) => l.startsWith('@@'))) return; // context was elided; nothing to rebuild
    t.same(body.filter((l) => l[0] !== '+').map((l) => l.slice(1)), expected, `${label}: expected side`);
    t.same(body.filter((l) => l[0] !== '-').map((l) => l.slice(1)), actual, `${label}: actual side`);
  };
  for (let k = 0; k < 200; k++) {
    const expected = Array.from({ length: 1 + Math.floor(next() * 6) }, () => String(Math.floor(next() * 4)));
    const actual = Array.from({ length: 1 + Math.floor(next() * 6) }, () => String(Math.floor(next() * 4)));
    check(expected, actual, `small ${k}`);
  }
  // Large enough for the linear-space walk: 3,000 lines against 3,000 with a few edits.
  const big = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
  const edited = [...big];
  edited.splice(2000, 1, 'changed');
  edited.splice(10, 0, 'inserted');
  edited.splice(2500, 3);
  const diff = lineDiff(big, edited, (e, a) => e === a, false);
  t.match(diff, /\n-line 2000\n\+changed\n/, 'the walk finds the replaced line');
  t.match(diff, /\n\+inserted\n/);
  t.match(diff, /\n-line 2499\n-line 2500\n-line 2501\n/);
  t.notMatch(diff, /too many differences/);
});

t.test('a 20,000-line mismatch is decided and reported, bounded, by every line matcher', async (t) => {
  const n = 20_000;
  const expected = Array.from({ length: n }, (_, i) => `pod-${i} 1/1 Running 0 5m`).join('\n');
  const allDiffer = Array.from({ length: n }, (_, i) => `svc-${i} 2/2 Pending 1 3h`).join('\n');
  const oneDiffers = expected.replace('pod-10000 1/1 Running 0 5m', 'pod-10000 0/1 CrashLoopBackOff 3 5m');
  for (const name of ['exact', 'elided', 'like'] as const) {
    const all = matchers[name](expected, allDiffer);
    t.notOk(all.ok, `${name}: all lines differ`);
    t.match(all.diff, /too many differences to show them all \(expected 20000 lines, actual 20000\); the first is at line 1/);
    t.ok(all.diff!.length < 5000, `${name}: the summary is short (${all.diff!.length} characters)`);
    const one = matchers[name](expected, oneDiffers);
    t.notOk(one.ok);
    t.match(one.diff, /-pod-10000 1\/1 Running 0 5m\n\+pod-10000 0\/1 CrashLoopBackOff 3 5m/, `${name}: one changed line among 20,000 is shown`);
    t.ok(matchers[name](expected, expected).ok);
  }
  const wild = matchers.like('...\n' + expected + '\n...', allDiffer);
  t.notOk(wild.ok, 'with ... too');
});

t.test('a pathological ... pattern stops at the comparison budget with a message', async (t) => {
  const lines = Array.from({ length: 5000 }, () => 'same');
  const r = matchers.elided(['a', '...', ...lines, 'X', '...'].join('\n'), ['a', ...lines, ...lines].join('\n'));
  t.notOk(r.ok);
  t.match(r.diff, /too large to compare with this expectation within [\d,]+ line comparisons/);
});

t.test('like refuses lines with a different number of tokens', async (t) => {
  t.notOk(linesAlike('a b c', 'a b'), 'fewer');
  t.notOk(linesAlike('a b', 'a b c'), 'more');
  t.notOk(linesAlike('reviews 2/2 Running', 'reviews 2/2 Running 0'));
  t.notOk(matchers.like('NAME READY\nreviews 2/2', 'NAME READY\nreviews 2/2 Running').ok);
  t.notOk(matchers.like('x ...', 'x a b').ok, 'a `...` token stands for one token, not several');
  t.ok(matchers.like('x ...', 'x a').ok);
});

t.test('the command: a 20,000-line mismatch fails with a summary, and Ctrl-C ends a verify step retrying one', async (t) => {
  const { runCli } = await import('./support/cli.ts');
  const { tempDir, writeFiles } = await import('./support/tmp.ts');
  const { readdirSync } = await import('node:fs');
  const dir = tempDir(t);
  const expected = Array.from({ length: 20_000 }, (_, i) => `svc-${i} 2/2 Pending 1 3h`).join('\n');
  const step = (kind: string) => `\`\`\`bash ${kind}\ntouch "attempt-$RANDOM$RANDOM"\nfor i in $(seq 0 19999); do echo "pod-$i 1/1 Running 0 5m"; done\n\`\`\`\n\`\`\`text expect-output\n${expected}\n\`\`\`\n`;
  writeFiles(dir, { 'once.md': step('run'), 'retry.md': step('verify interval=10ms timeout=10m') });
  const once = await runCli(['run', 'once.md'], { cwd: dir });
  t.equal(once.code, 1);
  t.match(once.out, /too many differences to show them all \(expected 20000 lines, actual 20000\)/);
  let pid = 0;
  const retrying = runCli(['run', 'retry.md'], { cwd: dir, onSpawn: (p) => (pid = p) });
  const attempts = () => readdirSync(dir).filter((f) => f.startsWith('attempt-')).length;
  const before = attempts();
  while (attempts() < before + 2) await new Promise((r) => setTimeout(r, 20)); // one attempt was matched and diffed
  process.kill(pid, 'SIGINT');
  const r = await retrying;
  t.equal(r.code, 130, 'interrupted while retrying the large match');
});
