import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { writeBack } from '../engine/write/writeback.ts';
import type { StepResult } from '../engine/execute/results.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

function passed(rb: ReturnType<typeof loadRunbook>, outputs: Record<string, string>): StepResult[] {
  return rb.steps.filter((s) => s.id in outputs).map((step) => ({ step, phase: 'main', command: '', status: 'passed', attempts: 1, durationMs: 1, exitCode: 0, output: outputs[step.id] }));
}

t.test('only block bodies change; odd files survive byte for byte', async (t) => {
  const dir = tempDir(t);
  const original =
    '# Ünïcode ✓ title\r\n\r\nText  with  trailing   \r\n\r\n````bash run id=a\r\necho a\r\n````\r\n\r\n~~~~text output\r\nTODO\r\n~~~~\r\n\r\n' +
    '- item\r\n\r\n  ```bash run id=nested\r\n  echo n\r\n  ```\r\n\r\n  ```text output\r\n  old\r\n  ```\r\n\r\nend without newline ✓';
  writeFiles(dir, { 'odd.md': original });
  const rb = loadRunbook(join(dir, 'odd.md'));
  const outcome = writeBack(rb, passed(rb, { a: 'line 1\nline 2 ✓\n', nested: 'n1\nn2\n' }), { updateExpected: false });
  t.same(outcome.written, ['odd.md']);
  t.equal(outcome.changes.length, 2);
  const after = readFileSync(join(dir, 'odd.md'), 'utf8');
  t.equal(after, original.replace('TODO\r\n', 'line 1\r\nline 2 ✓\r\n').replace('  old\r\n', '  n1\r\n  n2\r\n'));
  t.match(outcome.changes[0].diff, /-TODO\n\+line 1/);
});

t.test('alike outputs are not rewritten; --update-expected rewrites only expectations that failed', async (t) => {
  const dir = tempDir(t);
  const text = '```bash run id=p\nkubectl get pods\n```\n```text expect-output\nreviews-v1-5b4f9d8c7-abcde 2/2 Running 0 32s\n...\n```\n```text output\nreviews-v1-5b4f9d8c7-abcde 2/2 Running 0 32s\n```\n';
  writeFiles(dir, { 'a.md': text });
  const rb = loadRunbook(join(dir, 'a.md'));
  const fresh = 'reviews-v1-7d4f8b6c9-x2x9k 2/2 Running 0 5m\nratings-v1-7d4f8b6c9-x2x9k 2/2 Running 0 5m\n';
  t.equal(writeBack(rb, passed(rb, { p: 'reviews-v1-7d4f8b6c9-x2x9k 2/2 Running 0 5m\n' }), { updateExpected: true }).changes.length, 0, 'alike output and a passing expectation: no churn, ... kept');
  const failing = passed(rb, { p: 'reviews-v1-7d4f8b6c9-x2x9k 1/2 Running 0 5m\n' }).map((r) => ({ ...r, status: 'failed' as const, diff: '-2/2 +1/2' }));
  t.equal(writeBack(rb, failing, { updateExpected: false }).changes.length, 0, 'without --update-expected nothing of a failed step is written');
  const out = writeBack(rb, failing, { updateExpected: true });
  t.same(out.changes.map((c) => c.kind), ['expect-output'], 'the failing expectation is updated; the output block of a failed step is not');
  t.match(readFileSync(join(dir, 'a.md'), 'utf8'), /```text expect-output\nreviews-v1-7d4f8b6c9-x2x9k 1\/2 Running 0 5m\n```\n```text output\nreviews-v1-5b4f9d8c7-abcde/);
  const rb2 = loadRunbook(join(dir, 'a.md'));
  t.equal(writeBack(rb2, passed(rb2, { p: fresh }), { updateExpected: false }).changes.length, 1, 'a new line in the output updates the output block');
});

t.test('a file changed during the run is not written; failed steps are never written', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'c.md': '```bash run id=x\necho\n```\n```text output\nTODO\n```\n' });
  const rb = loadRunbook(join(dir, 'c.md'));
  writeFiles(dir, { 'c.md': '```bash run id=x\necho\n```\n```text output\nTODO\n```\nuser edit\n' });
  const out = writeBack(rb, passed(rb, { x: 'new' }), { updateExpected: false });
  t.equal(out.written.length, 0);
  t.match(out.refused[0].reason, /changed on disk/);
  t.match(readFileSync(join(dir, 'c.md'), 'utf8'), /user edit/);
  const rb2 = loadRunbook(join(dir, 'c.md'));
  const failed = passed(rb2, { x: 'boom' }).map((r) => ({ ...r, status: 'failed' as const }));
  t.equal(writeBack(rb2, failed, { updateExpected: false }).changes.length, 0);
});

t.test('output that would close the fence is refused', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'f.md': '```bash run id=x\necho\n```\n```text output\nTODO\n```\n' });
  const rb = loadRunbook(join(dir, 'f.md'));
  const out = writeBack(rb, passed(rb, { x: 'a\n```\nb' }), { updateExpected: false });
  t.match(out.refused[0].reason, /close its fence/);
});

t.test('write-back through a symlink updates the real file and keeps the link', async (t) => {
  const { symlinkSync, lstatSync, statSync, chmodSync } = await import('node:fs');
  const dir = tempDir(t);
  writeFiles(dir, { 'real/doc.md': '```bash run id=x\necho\n```\n```text output\nTODO\n```\n' });
  chmodSync(join(dir, 'real/doc.md'), 0o640);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'link'));
  symlinkSync('../real/doc.md', join(dir, 'link/doc.md'));
  const rb = loadRunbook(join(dir, 'link/doc.md'));
  writeBack(rb, passed(rb, { x: 'via link' }), { updateExpected: false });
  t.ok(lstatSync(join(dir, 'link/doc.md')).isSymbolicLink(), 'still a link');
  t.match(readFileSync(join(dir, 'real/doc.md'), 'utf8'), /```text output\nvia link\n```/);
  t.equal(statSync(join(dir, 'real/doc.md')).mode & 0o777, 0o640, 'mode kept');
});
