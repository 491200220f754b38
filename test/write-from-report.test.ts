// `write --from-report` in process: the same bytes as `run --write` (CRLF, nested fences,
// --update-expected), all or nothing when one file cannot be written, and reports that cannot
// serve (no source hashes, steps gone) are named.
import t from 'tap';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { readJsonReport } from '../engine/report/read-json.ts';
import { writeFromReport } from '../engine/report/write-from-report.ts';
import { reviewDrift } from '../engine/report/drift.ts';
import { toDriftHtml, toDriftMarkdown } from '../engine/report/drift-html.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { runCli } from './support/cli.ts';

const files = (dir: string) => Object.fromEntries(readdirSync(join(dir, 'book')).filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(join(dir, 'book', f), 'utf8')]));

function book(dir: string): void {
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Book\nvars:\n  V: "2"\n',
    'book/01-crlf.md': '# CRLF\r\n\r\n```bash run id=crlf\r\necho "version $V"\r\n```\r\n\r\n```text output\r\nversion 1\r\n```\r\n',
    'book/02-list.md': '# List\n\n1. A step in a list:\n\n   ```bash run id=nested\n   printf "a $V\\nb\\n"\n   ```\n\n   ```text output\n   TODO\n   ```\n',
    'book/03-expect.md':
      '# Expect\n\n```bash run id=expected\necho "got $V"\n```\n\n```text expect-output\ngot 1\n```\n\n```bash run id=placeholder\necho fresh\n```\n\n```text expect-output\nTODO\n```\n',
  });
}

t.test('the same bytes as run --write, --update-expected included', async (t) => {
  const root = tempDir(t);
  const serial = join(root, 'serial');
  const later = join(root, 'later');
  book(serial);
  cpSync(serial, later, { recursive: true });
  const w = await runCli(['run', 'book', '--write', '--update-expected', '--keep-going'], { cwd: serial });
  t.equal(w.code, 1, 'the run fails on the old expectation (and rewrites it)');
  const r = await runCli(['run', 'book', '--keep-going', '--report', 'out/run.json'], { cwd: later });
  t.equal(r.code, 1);

  const runbook = loadRunbook(join(later, 'book'));
  const loaded = readJsonReport(join(later, 'out/run.json'));
  const review = reviewDrift(runbook, loaded, { updateExpected: true, workdir: later });
  t.same(review.chapters.map((c) => [c.name, c.blocks.length, c.failures.length]), [['03-expect', 2, 1], ['02-list', 1, 0], ['01-crlf', 1, 0]]);
  t.match(toDriftHtml(review), /got 1[\s\S]*got 2/);
  t.match(toDriftMarkdown(review), /\| 03-expect \|  \| 2 \| 4 \| 0 \| 1 \|/);

  const outcome = writeFromReport(runbook, loaded, { updateExpected: true, workdir: later });
  t.same(outcome.refused, []);
  t.same(outcome.written.sort(), ['01-crlf.md', '02-list.md', '03-expect.md']);
  t.same(files(later), files(serial));
  t.match(files(later)['01-crlf.md'], /```text output\r\nversion 2\r\n```/, 'CRLF kept');
  t.match(files(later)['02-list.md'], /   ```text output\n   a 2\n   b\n   ```/, 'list indentation kept');
});

t.test('all or nothing: one file that cannot take its output stops every file', async (t) => {
  const dir = tempDir(t);
  book(dir);
  writeFiles(dir, { 'book/04-fence.md': '# Fence\n\n```bash run id=fence\nprintf "x\\n\\`\\`\\`\\n"\n```\n\n```text output\nTODO\n```\n' });
  const r = await runCli(['run', 'book', '--keep-going', '--report', 'out/run.json'], { cwd: dir });
  t.equal(r.code, 1);
  const before = files(dir);
  const outcome = writeFromReport(loadRunbook(join(dir, 'book')), readJsonReport(join(dir, 'out/run.json')), { updateExpected: false, workdir: dir });
  t.match(outcome.refused, [{ file: '04-fence.md', reason: /would close its fence/ }]);
  t.same(files(dir), before, 'the other chapters were not written either');
});

t.test('reports that cannot serve: no hashes, a step gone, a removed chapter', async (t) => {
  const dir = tempDir(t);
  book(dir);
  const r = await runCli(['run', 'book', '--keep-going', '--report', 'out/run.json'], { cwd: dir });
  t.equal(r.code, 1);
  const path = join(dir, 'out/run.json');
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const runbook = loadRunbook(join(dir, 'book'));

  writeFileSync(join(dir, 'old.json'), JSON.stringify({ ...report, sources: undefined }));
  t.throws(() => writeFromReport(runbook, readJsonReport(join(dir, 'old.json')), { updateExpected: false, workdir: dir }), /records no source hashes/);

  writeFileSync(join(dir, 'gone.json'), JSON.stringify({ ...report, steps: [...report.steps, { ...report.steps[0], id: 'vanished' }] }));
  t.match(writeFromReport(runbook, readJsonReport(join(dir, 'gone.json')), { updateExpected: false, workdir: dir }).refused, [{ reason: /step vanished .* is not in the runbook any more/ }]);

  writeFileSync(join(dir, 'more.json'), JSON.stringify({ ...report, sources: [...report.sources, { file: '09-old.md', sha256: 'x' }] }));
  t.match(writeFromReport(runbook, readJsonReport(join(dir, 'more.json')), { updateExpected: false, workdir: dir }).refused, [{ file: '09-old.md', reason: 'it was removed since the run' }]);

  const cli = await runCli(['write', 'book', '--from-report', 'more.json'], { cwd: dir });
  t.equal(cli.code, 1);
  t.match(cli.out, /not written: 09-old\.md: it was removed since the run\nrunbook: nothing was written from more\.json/);
  const missing = await runCli(['write', 'book', '--from-report', 'nope.json'], { cwd: dir });
  t.equal(missing.code, 2);
  t.match(missing.out, /--from-report nope\.json: cannot read it: no such file/);
  const ok = await runCli(['write', 'book', '--from-report', 'out/run.json'], { cwd: dir });
  t.equal(ok.code, 0, 'a failed run still gives the outputs of its passing steps');
  t.match(ok.out, /the run in out\/run\.json failed; only outputs of steps that passed were written/);
  t.match(ok.out, /2 blocks updated in 2 files, 0 screenshots written/);
});

t.test('a report cannot place files outside the workdir or for steps that take no screenshot', async (t) => {
  const dir = tempDir(t);
  book(dir);
  const r = await runCli(['run', 'book', '--keep-going', '--report', 'out/run.json'], { cwd: dir });
  t.equal(r.code, 1);
  const report = JSON.parse(readFileSync(join(dir, 'out/run.json'), 'utf8'));
  writeFileSync(join(dir, 'out/evil.png'), 'png');
  const image = { stepId: 'crlf', chapter: '01-crlf', location: 'evil.png', sha256: '', previousSha256: null, outcome: 'created', width: 1, height: 1 };
  for (const file of ['../outside.png', 'images/x.png', 'book/01-crlf.md']) {
    writeFileSync(join(dir, 'out/evil.json'), JSON.stringify({ ...report, images: [{ ...image, file }] }));
    const outcome = writeFromReport(loadRunbook(join(dir, 'book')), readJsonReport(join(dir, 'out/evil.json')), { updateExpected: false, workdir: dir });
    t.match(outcome.refused, [{ file, reason: /where no screenshot step of this runbook writes/ }], file);
  }
});
