// The AsciiDoc reader: `[source,LANG,runbook="…"]` listings and `// runbook:` comments become the
// same model as Markdown, with exact body offsets (LF and CRLF), positions on the attribute line,
// verbatim blocks hiding their content, and errors that name file:line.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { scanAsciidoc } from '../engine/read/asciidoc.ts';
import { parseAttrList } from '../engine/read/asciidoc-attrlist.ts';
import { loadRunbook } from '../engine/read/index.ts';
import { RunbookError, RunbookErrors } from '../engine/errors.ts';
import type { CommandStep } from '../engine/model.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const fixture = (name: string) => new URL(`./fixtures/adoc/${name}`, import.meta.url);

function load(t: Parameters<typeof tempDir>[0], text: string) {
  const dir = tempDir(t);
  writeFiles(dir, { 'book.adoc': text });
  return loadRunbook(`${dir}/book.adoc`);
}

function problems(t: Parameters<typeof tempDir>[0], text: string): string {
  try {
    load(t, text);
  } catch (e) {
    if (e instanceof RunbookErrors) return e.errors.map((x) => x.format()).join('\n');
    if (e instanceof RunbookError) return e.format();
    throw e;
  }
  return '';
}

t.test('attribute lists: positional, named, quoted, escaped quotes', async (t) => {
  t.same(parseAttrList('[source,bash,runbook="run id=x timeout=5m"]'), { positional: ['source', 'bash'], named: { runbook: 'run id=x timeout=5m' } });
  t.same(parseAttrList(`[source, bash , runbook='skip reason="a b"']`), { positional: ['source', 'bash'], named: { runbook: 'skip reason="a b"' } });
  t.same(parseAttrList('[runbook="run id=\\"q\\""]').named.runbook, 'run id="q"');
  t.same(parseAttrList('[listing,runbook=output]').named.runbook, 'output');
  t.throws(() => parseAttrList('[source,bash,runbook="run]'), /unterminated/);
});

t.test('the fixture: steps, outputs, positions and exact body spans', async (t) => {
  const text = readFileSync(fixture('tutorial.adoc'), 'utf8');
  const runbook = loadRunbook(fixture('tutorial.adoc').pathname);
  t.same(
    runbook.steps.map((s) => [s.id, s.kind, s.position.line]),
    [
      ['greet', 'run', 8],
      ['stale', 'run', 18],
      ['alike', 'run', 28],
      ['count', 'verify', 41],
      ['nested', 'run', 54],
      ['tutorial/checks', 'skip', 84],
    ],
    'comment blocks and literal blocks hide what looks like steps; the line is the attribute line',
  );
  t.equal(runbook.settings.vars.NAME, 'world', 'settings come from runbook.yaml beside the file');
  const greet = runbook.steps[0] as CommandStep;
  t.equal(greet.lang, 'bash');
  t.equal(greet.code, 'echo "hello $NAME"');
  t.equal(greet.output!.position.line, 13);
  t.equal(text.slice(greet.output!.body.start, greet.output!.body.end), 'TODO\n', 'body is exactly the lines between the delimiters');
  t.ok(greet.output!.todo);
  const nested = runbook.steps[4];
  t.equal(nested.output!.body.start, nested.output!.body.end, 'an empty listing has an empty body span');
  t.equal(text.slice(nested.output!.body.start - 5, nested.output!.body.start), '----\n');
  t.equal(runbook.steps[3].expect!.match, 'regex');
  t.equal((runbook.steps[5] as CommandStep).reason, 'opens a browser');
  t.same(runbook.steps[3].section, ['AsciiDoc runbook fixture', 'Checks']);
});

t.test('CRLF files keep exact offsets and CRLF as their line ending', async (t) => {
  const lf = readFileSync(fixture('tutorial.adoc'), 'utf8');
  const crlf = lf.replace(/\n/g, '\r\n');
  const scan = scanAsciidoc(crlf, 'x.adoc');
  const fences = scan.blocks.filter((b) => b.type === 'fence');
  t.equal(fences.length, 11);
  for (const f of fences) {
    if (f.type !== 'fence') continue;
    const body = crlf.slice(f.body.start, f.body.end);
    t.ok(body === '' || body.endsWith('\r\n'), 'body ends at the closing delimiter line');
    t.equal(f.eol, '\r\n');
    t.notMatch(f.code, /\r/, 'code has \\n line endings');
  }
});

t.test('directives, headings and attribute-line variants', async (t) => {
  const runbook = load(
    t,
    [
      '= Book',
      '',
      '== Part one',
      '',
      '// runbook: wait rollout namespace=default name=web',
      '//runbook: port-forward service=kiali namespace=istio-system port=20001',
      '',
      '[[anchor]]',
      '.Title',
      '[source%linenums,bash]',
      '[runbook="run id=multi"]',
      '----',
      'echo one',
      '----',
      '',
      '****',
      '// runbook: ingress',
      '****',
      '',
      '```',
      '// runbook: ingress',
      '```',
      '',
      '[listing,runbook="run id=plain"]',
      '----',
      'echo plain',
      '----',
      '',
    ].join('\n'),
  );
  t.same(
    runbook.steps.map((s) => [s.id, s.type === 'directive' ? s.verb : s.kind, s.position.line]),
    [
      ['book/part-one', 'wait', 5],
      ['book/part-one-2', 'port-forward', 6],
      ['multi', 'run', 11],
      ['book/part-one-3', 'ingress', 17],
      ['plain', 'run', 24],
    ],
  );
  t.equal((runbook.steps[2] as CommandStep).lang, 'bash', 'the language comes from another attribute line of the same block');
  t.equal((runbook.steps[4] as CommandStep).lang, '', 'a listing style has no language');
});

t.test('mistakes name file:line and say what to do', async (t) => {
  t.match(problems(t, '[source,bash,runbook="run"]\necho not a listing\n'), /book\.adoc:1: the runbook block at line 1 is followed by text, not a ---- listing/);
  t.match(problems(t, '[source,bash,runbook="run"]\n\n----\necho\n----\n'), /book\.adoc:1: .*followed by a blank line/);
  t.match(problems(t, '[source,bash,runbook="run"]\n....\necho\n....\n'), /book\.adoc:1: .*followed by a "\.\.\.\." block/);
  t.match(problems(t, 'intro\n\n[source,bash,runbook="run"]\n----\necho\n'), /book\.adoc:3: the block opened with "----" at line 4 is never closed/);
  t.match(problems(t, '[source,bash,runbook="run timeuot=5m"]\n----\necho\n----\n'), /book\.adoc:1: unknown token "timeuot".*\n.*Did you mean "timeout"/);
  t.match(problems(t, '[source,bash,runbook="run]\n----\necho\n----\n'), /book\.adoc:1: unterminated " quote/);
  t.match(problems(t, '[source,bash,runbook="run"]\n[runbook="verify"]\n----\necho\n----\n'), /book\.adoc:2: a second runbook attribute/);
  t.match(problems(t, '[source,text,runbook="output"]\n----\nx\n----\n'), /book\.adoc:1: output block has no step before it/);
  t.match(problems(t, '// runbook: wiat rollout namespace=x\n'), /book\.adoc:1: unknown directive "wiat"[\s\S]*Did you mean "wait"/);
  t.match(problems(t, '[source,bash,runbook="run"]'), /book\.adoc:1: .*followed by the end of the file/);
});

t.test('annotating a hand-written tutorial is a matter of adding attributes', async (t) => {
  const handwritten = readFileSync(fixture('handwritten.adoc'), 'utf8');
  const annotated = readFileSync(fixture('annotated.adoc'), 'utf8');
  const stripped = annotated
    .replace(/^\/\/ runbook:.*\n\n/gm, '')
    .replace(/^\[runbook=(?:"[^"]*"|'[^']*')\]\n/gm, '')
    .replace(/,runbook=(?:"[^"]*"|'[^']*')\]/g, ']');
  t.equal(stripped, handwritten, 'take the annotations away and the original is back, byte for byte');
  const runbook = loadRunbook(fixture('annotated.adoc').pathname);
  t.same(
    runbook.steps.map((s) => [s.id, s.type === 'directive' ? s.verb : s.kind, Boolean(s.expect)]),
    [
      ['apply', 'run', true],
      ['annotated/deploy', 'wait', false],
      ['pods', 'run', true],
      ['annotated/deploy-2', 'skip', false],
    ],
  );
  t.equal(runbook.steps[0].expect!.match, 'lines');
});
