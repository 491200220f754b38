import t from 'tap';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { RunbookErrors } from '../engine/errors.ts';
import { parseDuration } from '../engine/read/duration.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const errorsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof RunbookErrors) return e.errors.map((x) => x.format());
    throw e;
  }
  return [];
};

t.test('durations', async (t) => {
  t.equal(parseDuration('500ms'), 500);
  t.equal(parseDuration('30s'), 30_000);
  t.equal(parseDuration('5m'), 300_000);
  t.equal(parseDuration('1h'), 3_600_000);
  t.equal(parseDuration('1m30s'), 90_000);
  t.equal(parseDuration('12'), 12_000);
  t.equal(parseDuration('5 minutes'), undefined);
  t.equal(parseDuration(''), undefined);
  t.equal(parseDuration('600h'), undefined, 'longer than a timer can wait');
  t.equal(parseDuration('596h'), 596 * 3_600_000);
});

t.test('steps keep kind, attributes, positions and attached blocks', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book.md': `---
title: Demo
vars:
  A: "1"
targets:
  kind: { context: kind-demo }
  eks: { context: "*demo*", requires: [kubectl] }
timeout: 5m
redact: ['acct-[0-9]+']
---
# Install

\`\`\`bash run id=one timeout=30s exit=3 target=eks tags=a,b
echo one
\`\`\`

\`\`\`text expect-output match=exact
one
\`\`\`

\`\`\`text output
TODO
\`\`\`

## Wait

\`\`\`bash verify interval=500ms
true
\`\`\`

\`\`\`js
not a step
\`\`\`

- list item

  \`\`\`bash run hidden stream=stdout
  echo nested
  \`\`\`

<!-- runbook: wait rollout namespace=istio-system timeout=2m -->

\`\`\`\`bash background ready="Serving HTTP" port=8080
python3 -m http.server 8080
\`\`\`\`

~~~bash skip reason="opens a browser"
open http://localhost
~~~
`,
  });
  const rb = loadRunbook(join(dir, 'book.md'));
  t.equal(rb.settings.title, 'Demo');
  t.same(rb.settings.vars, { A: '1' });
  t.same(rb.settings.targets.map((x) => x.name), ['kind', 'eks']);
  t.same(rb.settings.targets[1].requires, ['kubectl']);
  t.equal(rb.settings.timeoutMs, 300_000);
  t.same(rb.settings.redact, ['acct-[0-9]+']);
  const [one, verify, nested, wait, bg, skip] = rb.steps;
  t.equal(rb.steps.length, 6, 'the js fence is documentation');
  t.match(one, { id: 'one', kind: 'run', timeoutMs: 30_000, exit: 3, targets: ['eks'], tags: ['a', 'b'], code: 'echo one' });
  t.equal(one.position.line, 13);
  t.match(one.expect, { match: 'exact', text: 'one', todo: false });
  t.match(one.output, { todo: true });
  t.match(verify, { kind: 'verify', intervalMs: 500, timeoutMs: 120_000, explicitId: false });
  t.equal(verify.id, 'book/wait');
  t.match(nested, { hidden: true, streamStdoutOnly: true, code: 'echo nested' });
  t.match(wait, { type: 'directive', verb: 'wait', args: ['rollout'], attrs: { namespace: 'istio-system', timeout: '2m' }, timeoutMs: 120_000 });
  t.match(bg, { kind: 'background', ready: 'Serving HTTP', port: 8080 });
  t.match(skip, { kind: 'skip', reason: 'opens a browser' });
});

t.test('every user error names file:line and nothing is loaded', async (t) => {
  const dir = tempDir(t);
  const cases: Record<string, [string, RegExp]> = {
    'unknown-token.md': ['# x\n\n```bash run timeuot=5s\ntrue\n```\n', /unknown-token\.md:3: unknown token "timeuot".*\n.*Did you mean "timeout"/],
    'bad-duration.md': ['```bash run timeout=soon\ntrue\n```\n', /bad-duration\.md:1: bad duration timeout=soon/],
    'huge-duration.md': ['```bash run timeout=600h\ntrue\n```\n', /huge-duration\.md:1: bad duration timeout=600h.*\n.*at most 596h/],
    'bad-exit.md': ['```bash run exit=300\ntrue\n```\n', /bad-exit\.md:1: bad exit=300/],
    'two-kinds.md': ['```bash run verify\ntrue\n```\n', /two-kinds\.md:1: more than one kind flag/],
    'orphan.md': ['# t\n```text expect-output\nx\n```\n', /orphan\.md:2: expect-output block has no step before it/],
    'double-expect.md': ['```bash run\ntrue\n```\n```text expect-output\na\n```\n```text expect-output\nb\n```\n', /double-expect\.md:7: .*already has an expect-output/],
    'bad-yaml.md': ['---\ntitle: [unclosed\n---\n', /bad-yaml\.md:\d+: invalid YAML/],
    'bad-setting.md': ['---\nvar: {}\n---\n', /bad-setting\.md:2: unknown setting "var".*\n.*Did you mean "vars"/],
    'bad-match.md': ['```bash run\ntrue\n```\n```text expect-output match=fuzzy\nx\n```\n', /bad-match\.md:4: unknown matcher match=fuzzy/],
    'bad-directive.md': ['<!-- runbook: wiat pods namespace=x -->\n', /bad-directive\.md:1: unknown directive "wiat".*\n.*Did you mean "wait"/],
    'directive-missing.md': ['\n<!-- runbook: wait pods -->\n', /directive-missing\.md:2: wait needs namespace=/],
    'unknown-target.md': ['---\ntargets: { kind: {} }\n---\n```bash run target=gke\ntrue\n```\n', /unknown-target\.md:4: unknown target "gke"/],
    'dup-id.md': ['```bash run id=a\ntrue\n```\n```bash run id=a\ntrue\n```\n', /dup-id\.md:4: duplicate step id "a"/],
    'python-run.md': ['```python run\nprint(1)\n```\n', /python-run\.md:1: a run step in "python" cannot run/],
    'quote.md': ['```bash run id="abc\ntrue\n```\n', /quote\.md:1: unterminated quote/],
    'typo-kind.md': ['# t\n\n```bash runn id=x\ntrue\n```\n', /typo-kind\.md:3: unknown kind "runn".*\n.*Did you mean "run"/],
    'typo-verify.md': ['```bash verfiy timeout=1m\ntrue\n```\n', /typo-verify\.md:1: unknown kind "verfiy"/],
    'no-kind.md': ['```bash id=x timeout=5s\ntrue\n```\n', /no-kind\.md:1: id= without a kind flag/],
    'kind-as-lang.md': ['```run\ntrue\n```\n', /kind-as-lang\.md:1: "run" stands where the language goes.*\n.*```bash run/],
    'output-as-lang.md': ['```bash run\ntrue\n```\n``` output\nx\n```\n', /output-as-lang\.md:4: "output" stands where the language goes.*\n.*```text output/],
    'quoted-step.md': ['# q\n\n> ```bash run id=q\n> echo quoted\n> ```\n', /quoted-step\.md:3: a run block inside a block quote/],
  };
  for (const [name, [text, expected]] of Object.entries(cases)) {
    writeFiles(dir, { [name]: text });
    const errors = errorsOf(() => loadRunbook(join(dir, name)));
    t.equal(errors.length >= 1, true, `${name} is rejected`);
    t.match(errors.join('\n'), expected, name);
  }
  t.throws(() => loadRunbook(join(dir, 'missing.md')), /no runbook at/);
});

t.test('a directory runs chapters in lexical order with runbook.yaml settings', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'runbook.yaml': 'title: Dir\nvars: { X: y }\n',
    '10-second.md': '```bash run id=second\ntrue\n```\n',
    '02-first.md': '```bash run id=first\ntrue\n```\n',
    '_template.md': '```bash run id=ignored\ntrue\n```\n',
    'notes.txt': 'not a chapter',
  });
  const rb = loadRunbook(dir);
  t.same(rb.steps.map((s) => s.id), ['first', 'second']);
  t.equal(rb.settings.title, 'Dir');
  t.equal(rb.root, dir);
  writeFiles(dir, { 'runbook.yaml': 'vars:\n  bad name: 1\n' });
  t.match(errorsOf(() => loadRunbook(dir)).join('\n'), /runbook\.yaml:2: bad variable name/);
});

t.test('CRLF files keep their line endings and positions', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'crlf.md': '# T\r\n\r\n```bash run id=a\r\necho hi\r\n```\r\n\r\n```text output\r\nTODO\r\n```\r\n' });
  const rb = loadRunbook(join(dir, 'crlf.md'));
  t.equal(rb.files[0].eol, '\r\n');
  t.equal(rb.steps[0].position.line, 3);
  t.equal((rb.steps[0] as { code: string }).code, 'echo hi');
  t.equal(rb.steps[0].output!.eol, '\r\n');
  const { body } = rb.steps[0].output!;
  t.equal(rb.files[0].text.slice(body.start, body.end), 'TODO\r\n');
});

t.test('documentation fences stay documentation; quoted documentation is fine', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'docs.md': '```js title="example.js" {1,3}\nx\n```\n\n> ```bash\n> echo shown only\n> ```\n\n```bash\nls\n```\n' });
  t.equal(loadRunbook(join(dir, 'docs.md')).steps.length, 0);
});

t.test('a YAML comment in front matter keeps the settings (and the chapter splitting) intact', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'fm.md': '---\n# the title\ntitle: Commented\nvars:\n  # a variable\n  FOO: bar\n---\n# Heading\n\n```bash run id=a\necho $FOO\n```\n\n# Second\n\n```bash run id=b\ntrue\n```\n' });
  const rb = loadRunbook(join(dir, 'fm.md'));
  t.equal(rb.settings.title, 'Commented');
  t.same(rb.settings.vars, { FOO: 'bar' });
  t.same(rb.steps.map((s) => [s.id, s.position.line]), [['a', 10], ['b', 16]]);
});

t.test('chapter front matter: needs, sources and leaves; settings keys refused with the settings file named', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Book\n',
    'book/01-setup.md': '# Setup\n\n```bash run id=setup\ntrue\n```\n',
    'book/02-use.md':
      '---\nneeds: [01-setup]\nsources:\n  - https://istio.io/latest/docs/tasks/x/\n  - { url: "https://github.com/istio/istio/blob/release-1.31/samples/a.yaml", release: "1.31", note: sample }\nleaves: [Namespace foo]\n---\n# Use\n\n```bash run id=use\ntrue\n```\n',
  });
  const rb = loadRunbook(join(dir, 'book'));
  const use = rb.files.find((f) => f.relPath === '02-use.md')!;
  t.same(use.chapter.needs, ['01-setup']);
  t.same(use.chapter.leaves, ['Namespace foo']);
  t.same(use.chapter.sources.map((s) => [s.url, s.release, s.note, s.position.line]), [
    ['https://istio.io/latest/docs/tasks/x/', undefined, undefined, 4],
    ['https://github.com/istio/istio/blob/release-1.31/samples/a.yaml', '1.31', 'sample', 5],
  ]);
  t.same(rb.files[0].chapter, { needs: [], sources: [], leaves: [] });
  t.same(rb.steps.find((s) => s.id === 'use')!.position.line, 10);

  writeFiles(dir, { 'book/03-bad.md': '---\nneeds: [01-setup]\nvars:\n  A: b\nsources: [not-a-url]\n---\n# Bad\n' });
  const errors = errorsOf(() => loadRunbook(join(dir, 'book')));
  t.match(errors[0], /03-bad\.md:3: unknown key "vars" in chapter front matter\n.*runbook\.yaml/);
});

t.test('a single file may carry chapter keys beside its settings', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'one.md': '---\ntitle: One\nsources: [https://example.org/page]\n---\n# One\n\n```bash run id=a\ntrue\n```\n' });
  const rb = loadRunbook(join(dir, 'one.md'));
  t.equal(rb.settings.title, 'One');
  t.same(rb.files[0].chapter.sources.map((s) => s.url), ['https://example.org/page']);
  writeFiles(dir, { 'two.md': '---\nsources: [ftp://x]\n---\n' });
  t.match(errorsOf(() => loadRunbook(join(dir, 'two.md'))).join('\n'), /two\.md:2: source ftp:\/\/x is not an http\(s\) URL/);
});
