// `report merge` on hand-made shard reports: owners count, repeats are flagged when they went
// otherwise, unrun steps make a chapter incomplete, facts shared by all shards stay on top.
import t from 'tap';
import { mergeReports } from '../engine/report/merge.ts';
import type { JsonReport, LoadedReport, ReportStep } from '../engine/report/read-json.ts';
import { runResultFromReport } from '../engine/report/to-result.ts';
import { toJunitReport } from '../engine/report/junit.ts';

const chapters = [
  { name: '01-setup', file: '01-setup.md', needs: [] },
  { name: '02-a', file: '02-a.md', needs: ['01-setup'] },
  { name: '03-b', file: '03-b.md', needs: ['01-setup'] },
];
const sources = chapters.map((c) => ({ file: c.file, sha256: c.name }));

function step(id: string, chapter: string, status: ReportStep['status'] = 'passed', phase: ReportStep['phase'] = 'main'): ReportStep {
  return { id, kind: 'run', phase, file: `book/${chapter}.md`, line: 3, chapter, status, attempts: 1, durationMs: 10, startedAt: null, exitCode: 0, command: `echo ${id}`, output: `${id}\n`, message: null, diff: null, data: null };
}

function shard(index: number, own: string[], needed: string[], steps: ReportStep[], extra: Partial<JsonReport> = {}): LoadedReport {
  const planned: Record<string, number> = {};
  for (const name of [...own, ...needed]) planned[name] = name === '01-setup' ? 2 : 1;
  const report: JsonReport = {
    status: steps.some((s) => s.status === 'failed') ? 'failed' : 'passed',
    target: 'kind',
    context: `kind-shard-${index}`,
    startedAt: `2026-01-01T00:0${index}:00.000Z`,
    durationMs: 1000 * index,
    facts: { istioVersion: '1.31.2', kubernetesVersion: `v1.33.${index}` },
    notes: index === 2 ? ['teardown: slow'] : [],
    steps,
    drift: [],
    shard: { index, count: 2, basis: 'steps', own, needed, planned },
    chapters,
    sources,
    runbookDir: 'book',
    images: [{ stepId: 'a', chapter: '02-a', file: 'images/a.png', location: '../images/a.png', sha256: 'x', previousSha256: null, outcome: 'created', width: 1, height: 1 }],
    scope: 'full',
    ...extra,
  };
  return { path: `/ci/shard-${index}/reports/shard.json`, dir: `/ci/shard-${index}/reports`, report };
}

const setup = (status: ReportStep['status'] = 'passed') => [step('setup', '01-setup', status), step('teardown', '01-setup', 'passed', 'cleanup')];

t.test('owners count once, in document order; main steps before cleanup; provenance per chapter', async (t) => {
  const one = shard(1, ['01-setup', '02-a'], [], [...setup().slice(0, 1), step('a', '02-a'), setup()[1]]);
  const two = shard(2, ['03-b'], ['01-setup'], [...setup().slice(0, 1), step('b', '03-b'), setup()[1]]);
  const merged = mergeReports([two, one], '/ci/out');
  t.same(merged.steps.map((s) => [s.id, s.phase]), [['setup', 'main'], ['a', 'main'], ['b', 'main'], ['teardown', 'cleanup']]);
  t.equal(merged.status, 'passed');
  t.same(merged.facts, { istioVersion: '1.31.2' }, 'only facts every shard agrees on');
  t.same(merged.notes, ['shard 2/2: teardown: slow']);
  t.equal(merged.startedAt, '2026-01-01T00:01:00.000Z');
  t.equal(merged.durationMs, 2000, 'the wall time is the slowest shard');
  t.same(merged.images!.map((i) => i.location), ['../shard-1/images/a.png'], 'image locations move with the merged report');
  const [s, a, b] = merged.merged!.chapters;
  t.match(s, { name: '01-setup', shard: 1, status: 'passed', steps: 2, context: 'kind-shard-1', repeats: [{ shard: 2, status: 'passed', flagged: false }] });
  t.match(a, { shard: 1, facts: { kubernetesVersion: 'v1.33.1' } });
  t.match(b, { shard: 2, context: 'kind-shard-2', repeats: [] });
  t.match(toJunitReport(runResultFromReport(merged)), /tests="4" failures="0"/);
});

t.test('a repeat that failed is flagged; a shard that stopped leaves its chapters incomplete', async (t) => {
  const one = shard(1, ['01-setup', '02-a'], [], [...setup(), step('a', '02-a')]);
  const two = shard(2, ['03-b'], ['01-setup'], [step('setup', '01-setup', 'failed')]);
  const merged = mergeReports([one, two], '/ci/out');
  t.equal(merged.status, 'failed');
  const [s, , b] = merged.merged!.chapters;
  t.same(s.repeats, [{ shard: 2, status: 'failed', flagged: true }]);
  t.equal(b.status, 'incomplete', 'its steps never ran');
  t.same(merged.steps.map((x) => x.id), ['setup', 'a', 'teardown']);
});

t.test('shards that do not belong together are refused', async (t) => {
  const one = shard(1, ['01-setup', '02-a'], [], setup());
  const two = shard(2, ['03-b'], ['01-setup'], setup());
  t.throws(() => mergeReports([], '/x'), /no reports given/);
  t.throws(() => mergeReports([one], '/x'), /shard 2\/2 missing/);
  t.throws(() => mergeReports([one, one], '/x'), /are both shard 1\/2/);
  t.throws(() => mergeReports([one, { ...two, report: { ...two.report, shard: { ...two.report.shard!, count: 3 } } }], '/x'), /is shard 2\/3, but .* is of 2 shards/);
  t.throws(() => mergeReports([one, { ...two, report: { ...two.report, sources: [] } }], '/x'), /ran other sources than/);
  t.throws(() => mergeReports([one, { ...two, report: { ...two.report, shard: null } }], '/x'), /is not the report of a shard/);
});
