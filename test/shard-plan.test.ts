// Chapters that declare what they need: the graph (check, list --json), the split of chapters
// into shards (by step count, or by an earlier report's durations), each shard's plan, and
// $VAR in a target's context.
import t from 'tap';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadRunbook } from '../engine/read/index.ts';
import { RunbookErrors, RunbookError } from '../engine/errors.ts';
import { chaptersOf, graphProblems, requiredChapters } from '../engine/chapters/graph.ts';
import { chapterWeights, parseShard, splitChapters } from '../engine/chapters/shard.ts';
import { expandTarget, makePlan } from '../engine/plan.ts';
import { readDurations } from '../engine/report/read-json.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { runCli } from './support/cli.ts';

const chapter = (needs: string[], steps: string[]) =>
  `${needs.length ? `---\nneeds: [${needs.join(', ')}]\n---\n` : ''}# Chapter\n\n${steps.map((id) => `\`\`\`bash run id=${id}\necho ${id}\n\`\`\`\n`).join('\n')}`;

/** setup ← install ← {a, b, c}; d needs nothing; cleanup step in setup. */
function book(dir: string, extra: Record<string, string> = {}): string {
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Book\nvars:\n  CLUSTER_NAME: demo\ntargets:\n  local: { context: "kind-${CLUSTER_NAME}" }\n  other: {}\n',
    'book/01-setup.md': chapter([], ['setup']) + '\n```bash cleanup id=teardown\necho bye\n```\n',
    'book/02-install.md': chapter(['01-setup'], ['install']),
    'book/03-a.md': chapter(['02-install'], ['a1', 'a2', 'a3']),
    'book/04-b.md': chapter(['02-install'], ['b1', 'b2']),
    'book/05-c.md': chapter(['01-setup', '02-install'], ['c1']),
    'book/06-d.md': chapter([], ['d1', 'd2']),
    ...extra,
  });
  return join(dir, 'book');
}

const formatted = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as RunbookError).format();
  }
  return '(nothing thrown)';
};

const problems = (dir: string) => graphProblems(chaptersOf(loadRunbook(dir))).map((e) => e.format());

t.test('the graph: unknown names, self-needs, cycles and later chapters, each at its needs entry', async (t) => {
  const dir = tempDir(t);
  const path = book(dir);
  t.same(problems(path), []);
  writeFiles(dir, {
    'book/04-b.md': '---\nneeds:\n  - 02-install\n  - 02-instal\n---\n# B\n',
    'book/05-c.md': '---\nneeds: [05-c]\n---\n# C\n',
    'book/06-d.md': '---\nneeds: [07-e]\n---\n# D\n',
    'book/07-e.md': '---\nneeds: [06-d]\n---\n# E\n',
    'book/08-f.md': '---\nneeds: [09-g]\n---\n# F\n',
    'book/09-g.md': '# G\n',
  });
  const found = problems(path);
  t.match(found, [
    /04-b\.md:4: needs "02-instal": no chapter has that name\n  Did you mean "02-install"\?/,
    /05-c\.md:2: chapter 05-c needs itself/,
    /06-d\.md:2: needs form a cycle: 06-d → 07-e → 06-d/,
    /08-f\.md:2: needs "09-g", which runs after it/,
  ]);
  t.equal(found.length, 4, 'the cycle once, not once per member');

  const check = await runCli(['check', 'book'], { cwd: dir });
  t.equal(check.code, 2, 'check rejects the graph');
  t.match(check.out, /04-b\.md:4: needs "02-instal"[\s\S]*needs form a cycle[\s\S]*check failed: 4 problems/);
  const shard = await runCli(['run', 'book', '--shard', '1/2', '--dry-run'], { cwd: dir });
  t.equal(shard.code, 2, 'and so does a shard, before anything runs');
  t.match(shard.out, /needs form a cycle/);
});

t.test('list --json shows the graph', async (t) => {
  const dir = tempDir(t);
  book(dir);
  const r = await runCli(['list', 'book', '--json'], { cwd: dir });
  t.equal(r.code, 0);
  const { steps, chapters } = JSON.parse(r.out);
  t.equal(steps.find((s: { id: string }) => s.id === 'a1').chapter, '03-a');
  t.same(chapters.find((c: { name: string }) => c.name === '03-a'), { name: '03-a', file: '03-a.md', needs: ['02-install'], requires: ['01-setup', '02-install'], neededBy: [], steps: 3 });
  t.same(chapters.find((c: { name: string }) => c.name === '01-setup').neededBy, ['02-install', '05-c']);
});

t.test('split: disjoint own chapters covering all, each with what it needs, balanced', async (t) => {
  const dir = tempDir(t);
  const runbook = loadRunbook(book(dir));
  const chapters = chaptersOf(runbook);
  const ids = (c: (typeof chapters)[number]) => c.source.steps.map((s) => s.id);
  const byCount = chapterWeights(chapters, ids);
  t.equal(byCount.basis, 'steps');
  t.same([...byCount.weight], [['01-setup', 2], ['02-install', 1], ['03-a', 3], ['04-b', 2], ['05-c', 1], ['06-d', 2]]);
  for (const count of [1, 2, 3, 4, 8]) {
    const split = splitChapters(chapters, byCount.weight, count, 'steps');
    const owned = split.shards.flatMap((s) => s.own);
    t.same([...owned].sort(), chapters.map((c) => c.name), `${count} shards: every chapter owned once`);
    for (const s of split.shards) {
      const wanted = requiredChapters(chapters, s.own);
      t.same(new Set(s.needed), new Set([...wanted].filter((n) => !s.own.includes(n))), `${count} shards: shard ${s.index} gets exactly what its chapters need`);
    }
  }
  const three = splitChapters(chapters, byCount.weight, 3, 'steps');
  t.same(three.shards.map((s) => [s.own, s.needed, s.cost]), [
    [['03-a'], ['01-setup', '02-install'], 6],
    [['01-setup', '02-install', '04-b', '05-c'], [], 6],
    [['06-d'], [], 2],
  ]);

  // An earlier report says b is slow: it gets a shard of its own (with its setup).
  const durations = new Map([['setup', 100], ['teardown', 50], ['install', 100], ['a1', 100], ['a2', 100], ['a3', 100], ['b1', 5000], ['b2', 4000], ['c1', 100]]);
  const timed = chapterWeights(chapters, ids, durations);
  t.equal(timed.basis, 'durations');
  t.equal(timed.weight.get('06-d'), 200, 'steps missing from the report count as the median step');
  const split = splitChapters(chapters, timed.weight, 3, 'durations');
  t.same(split.shards.find((s) => s.own.includes('04-b'))!.own, ['04-b']);
  t.same(chapterWeights(chapters, ids, new Map()).basis, 'steps', 'a report with none of the steps falls back to counting');
});

t.test('--shard I/N and --durations: usage errors', async (t) => {
  for (const bad of ['0/3', '4/3', '1/0', 'x', '1/3/4', '2-3', '1/999']) t.throws(() => parseShard(bad), /expected I\/N/, bad);
  t.same(parseShard(' 2 / 3 '), { index: 2, count: 3 });
  const dir = tempDir(t);
  book(dir);
  writeFileSync(join(dir, 'bad.json'), '{"status": "passed",\n "steps": 3}');
  t.throws(() => readDurations(join(dir, 'bad.json')), /not a runbook JSON report: no "steps" list/);
  writeFileSync(join(dir, 'broken.json'), '{\n\n  "status": ');
  t.match(formatted(() => readDurations(join(dir, 'broken.json'))), /broken\.json:3: not JSON/);
  t.throws(() => readDurations(join(dir, 'none.json')), /--durations .*none\.json: cannot read it: no such file/);
  for (const [args, message] of [
    [['--durations', 'x.json'], /--durations needs --shard/],
    [['--shard', '1/2', '--write'], /--write does not go with --shard[\s\S]*write --from-report/],
    [['--shard', '5/2'], /--shard 5\/2: expected I\/N/],
    [['--shard', '1/2', '--durations', 'bad.json'], /bad\.json:1: not a runbook JSON report/],
  ] as const) {
    const r = await runCli(['run', 'book', ...args], { cwd: dir });
    t.equal(r.code, 2, args.join(' '));
    t.match(r.out, message);
  }
});

t.test('a shard plan: its chapters and what they need, in document order, cleanup included; --dry-run shows it', async (t) => {
  const dir = tempDir(t);
  const runbook = loadRunbook(book(dir));
  const ids = (count: number, index: number) => {
    const plan = makePlan(runbook, { target: 'other', shard: { index, count } });
    return [...plan.steps.map((p) => p.step.id), ...plan.cleanup.map((s) => s.id)];
  };
  t.same(ids(3, 1), ['setup', 'install', 'a1', 'a2', 'a3', 'teardown']);
  t.same(ids(3, 3), ['d1', 'd2'], 'a shard that needs no setup does not run it');
  t.same(ids(8, 8), [], 'more shards than chapters: a shard may be empty');
  t.throws(() => makePlan(runbook, { target: 'other', shard: { index: 3, count: 3 }, from: 'a1' }), /--from a1 is a cleanup step, not on target other, or not in shard 3\/3/);

  const dry = await runCli(['run', 'book', '--target', 'other', '--shard', '2/3', '--dry-run'], { cwd: dir });
  t.equal(dry.code, 0);
  t.match(dry.out, /shard 2\/3 \(balanced by step count\):\n  own chapters: 01-setup, 02-install, 04-b, 05-c\n  needed first: \(none\)\n  estimated cost 6 steps; all shards: 1=6 2=6 3=2/);
  t.match(dry.out, /5 steps, 1 cleanup steps; nothing was run/);
  const empty = await runCli(['run', 'book', '--target', 'other', '--shard', '8/8', '--report', 'e.json'], { cwd: dir });
  t.equal(empty.code, 0, 'an empty shard passes');
  t.match(empty.out, /no chapters fall to this shard/);
});

t.test('a target context may use $VAR / ${VAR} from vars and --set', async (t) => {
  const target = { name: 'kind', context: 'kind-${CLUSTER_NAME}-$ZONE', requires: [], position: { file: 'runbook.yaml', line: 4 } };
  t.equal(expandTarget(target, { CLUSTER_NAME: 'istio-2', ZONE: 'a' })!.context, 'kind-istio-2-a');
  t.equal(expandTarget({ ...target, context: 'kind-*' }, {})!.context, 'kind-*', 'no variable, no change');
  t.equal(formatted(() => expandTarget(target, { CLUSTER_NAME: 'x' })), 'runbook.yaml:4: target kind: context "kind-${CLUSTER_NAME}-$ZONE" uses $ZONE, which is not set\n  Declare ZONE under vars:, or pass --set ZONE=VALUE.');
  const dir = tempDir(t);
  const runbook = loadRunbook(book(dir));
  t.equal(makePlan(runbook, {}).target!.context, 'kind-demo', 'from vars');
  t.equal(makePlan(runbook, { vars: { ...runbook.settings.vars, CLUSTER_NAME: 'shard-2' } }).target!.context, 'kind-shard-2', '--set wins');

  // The guard checks the expanded context: a kubeconfig selecting kind-demo is refused for CLUSTER_NAME=other.
  writeFiles(dir, { kubeconfig: 'apiVersion: v1\nkind: Config\ncurrent-context: kind-demo\ncontexts:\n- name: kind-demo\n  context: { cluster: c, user: u }\nclusters:\n- name: c\n  cluster: { server: "https://127.0.0.1:9" }\nusers:\n- name: u\n  user: {}\n' });
  const refused = await runCli(['run', 'book', '--only', 'd1', '--set', 'CLUSTER_NAME=other'], { cwd: dir, env: { KUBECONFIG: join(dir, 'kubeconfig') } });
  t.equal(refused.code, 2);
  t.match(refused.out, /the current kube context is "kind-demo", but target local expects "kind-other"/);
});

t.test('RunbookErrors from a bad graph carry every problem', async (t) => {
  const dir = tempDir(t);
  const path = book(dir, { 'book/07-x.md': '---\nneeds: [nope, 06-d]\n---\n# X\n' });
  try {
    makePlan(loadRunbook(path), { shard: { index: 1, count: 2 } });
    t.fail('should throw');
  } catch (e) {
    t.ok(e instanceof RunbookErrors);
    t.match((e as RunbookErrors).errors[0].format(), /07-x\.md:2: needs "nope": no chapter has that name/);
  }
});
