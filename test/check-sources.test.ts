// `runbook check` and what chapters say about themselves and their examples: each chapter's
// upstream sources are listed, an example output must pass its step's pattern, and a pattern
// without an example is a warning (`needs:` has its own tests). Then the same rules on the
// real tutorial: every chapter names its sources and needs, and no pattern lacks an example.
import t from 'tap';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { loadRunbook } from '../engine/read/index.ts';
import { isPattern } from '../engine/check/examples.ts';

const chapter = (front: string, body: string) => `---\n${front}\n---\n${body}`;

t.test('check lists every chapter\'s sources, with the release they were checked against', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Sources\n',
    'book/01-first.md': chapter(
      'sources:\n  - url: https://github.com/istio/istio.io/blob/release-1.31/content/en/docs/tasks/a/index.md\n    release: "1.31"\n    note: the task page\n  - https://example.org/plain',
      '# First\n\n```bash run id=one\necho one\n```\n',
    ),
    'book/02-second.md': chapter('needs: [01-first]\nsources: [https://example.org/second]', '# Second\n\n```bash run id=two\necho two\n```\n'),
  });
  const r = await runCli(['check', 'book'], { cwd: dir });
  t.equal(r.code, 0, r.out);
  t.match(r.out, /upstream sources the chapters follow[^\n]*\n  book\/01-first\.md\n    https:\/\/github\.com\/istio\/istio\.io\/blob\/release-1\.31\/content\/en\/docs\/tasks\/a\/index\.md \(checked against 1\.31\) — the task page\n    https:\/\/example\.org\/plain\n  book\/02-second\.md\n    https:\/\/example\.org\/second\n/);
  t.notMatch(r.out, /names no upstream sources/);
});

t.test('a chapter without sources, when others have them, is a warning', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/01-first.md': chapter('sources: [https://example.org/a]', '# First\n'),
    'book/02-second.md': '# Second\n',
  });
  const r = await runCli(['check', 'book', '--allow-empty'], { cwd: dir }); // chapters of prose only
  t.equal(r.code, 0, r.out);
  t.match(r.out, /warning: book\/02-second\.md names no upstream sources/);
});

t.test('an example output must pass its step\'s pattern; a pattern without one is a warning', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'ex.md': [
      '# Examples',
      '',
      '```bash run id=good',
      'echo "took 6.3 seconds"',
      '```',
      '',
      '```text expect-output match=regex',
      '^took [67]\\.\\d seconds$',
      '```',
      '',
      '```text output',
      'took 6.3 seconds',
      '```',
      '',
      '```bash run id=bad',
      'echo "took 6.3 seconds"',
      '```',
      '',
      '```text expect-output match=regex',
      '^took [67]\\.\\d seconds$',
      '```',
      '',
      '```text output',
      'took 5.9 seconds',
      '```',
      '',
      '```bash run id=bare',
      'echo 42',
      '```',
      '',
      '```text expect-output match=regex',
      '^\\d+$',
      '```',
      '',
      '```bash run id=lines-too',
      'printf "a\\nb\\n"',
      '```',
      '',
      '```text expect-output match=lines',
      'a',
      'c',
      '```',
      '',
      '```text output',
      'a',
      'b',
      '```',
      '',
    ].join('\n'),
  });
  const r = await runCli(['check', 'ex.md'], { cwd: dir });
  t.equal(r.code, 2, r.out);
  t.match(r.out, /ex\.md:23: the example output of step bad does not pass its expect-output \(match=regex\)\n\s+expected the output to match \/\^took \[67\]/);
  t.match(r.out, /Make the example at ex\.md:23 a realistic output that passes the expectation at line 19/);
  t.notMatch(r.out, /step good does not pass/);
  t.match(r.out, /warning: ex\.md:31: step bare checks its output against a pattern, and readers see no example of it/);
  t.match(r.out, /ex\.md:44: the example output of step lines-too does not pass its expect-output \(match=lines\)/, 'every matcher, not only regex');
});

t.test('the tutorial: every chapter names its sources and needs, and every pattern has an example', async (t) => {
  const runbook = loadRunbook('runbook/');
  for (const file of runbook.files) {
    t.ok(file.chapter.sources.length > 0, `${file.relPath} names its upstream sources`);
    t.ok(file.chapter.source, `${file.relPath} has front matter (needs:, sources:)`);
    if (!file.relPath.startsWith('00-')) t.ok(file.chapter.needs.length > 0, `${file.relPath} needs the chapters before it`);
  }
  const bare = runbook.steps.filter((s) => isPattern(s) && !s.hidden && (!s.output || s.output.todo)).map((s) => s.id);
  t.same(bare, [], 'no visible pattern without a realistic example');
  const r = await runCli(['check', 'runbook/'], { timeoutMs: 120_000 });
  t.equal(r.code, 0, r.out);
  t.match(r.out, /upstream sources the chapters follow/);
  t.match(r.out, /runbook\/11-circuit-breaking\.md\n    https:\/\/github\.com\/istio\/istio\.io\/blob\/release-1\.31\/content\/en\/docs\/tasks\/traffic-management\/circuit-breaking\/index\.md \(checked against 1\.31\)/);
  t.notMatch(r.out, /readers see no example/);
});
