// Steps a shard never reached are in its report as `not run`: a merge counts their chapter as
// incomplete (never as passed), and --durations does not learn a 0 ms duration from them.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeReports } from '../engine/report/merge.ts';
import { readDurations, type JsonReport, type LoadedReport, type ReportStep } from '../engine/report/read-json.ts';
import { tempDir } from './support/tmp.ts';

const chapters = [{ name: '01-a', file: '01-a.md', needs: [] }];
const step = (id: string, status: ReportStep['status'], durationMs: number): ReportStep => ({
  id, kind: 'run', phase: 'main', file: 'book/01-a.md', line: 3, chapter: '01-a', status, attempts: status === 'not run' ? 0 : 1, durationMs, startedAt: null, exitCode: null, command: 'true', output: '', message: status === 'not run' ? 'not run: the run was interrupted' : null, diff: null, data: null,
});
const report = (steps: ReportStep[]): JsonReport => ({
  status: 'interrupted', target: 'kind', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 100, facts: {}, notes: [], steps, drift: [],
  shard: { index: 1, count: 1, basis: 'steps', own: ['01-a'], needed: [], planned: { '01-a': 2 } }, chapters, sources: [{ file: '01-a.md', sha256: 'x' }], runbookDir: 'book', images: [], scope: 'full',
});

t.test('a chapter with steps not run is incomplete after a merge', async (t) => {
  const shard: LoadedReport = { path: '/ci/s1.json', dir: '/ci', report: report([step('first', 'passed', 40), step('second', 'not run', 0)]) };
  const merged = mergeReports([shard], '/ci');
  t.equal(merged.merged!.chapters[0].status, 'incomplete');
  t.equal(merged.status, 'interrupted');
  t.same(merged.steps.map((s) => s.status), ['passed', 'not run'], 'the merged report keeps them');
});

t.test('--durations learns only from steps that ran', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'r.json'), JSON.stringify(report([step('first', 'passed', 40), step('second', 'not run', 0)])));
  t.same([...readDurations(join(dir, 'r.json'))], [['first', 40]]);
});
