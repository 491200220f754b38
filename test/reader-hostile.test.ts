// Inputs that used to fool the reader and are valid: a byte order mark, front matter with a
// trailing space, AsciiDoc conditionals and tables, fences that CommonMark ends with their list
// item, and deep (but not too deep) nesting.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { writeBack } from '../engine/write/writeback.ts';
import type { StepResult } from '../engine/execute/results.ts';
import type { Runbook } from '../engine/model.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

function passed(rb: Runbook, outputs: Record<string, string>): StepResult[] {
  return rb.steps.filter((s) => s.id in outputs).map((step) => ({ step, phase: 'main', command: '', status: 'passed', attempts: 1, durationMs: 1, exitCode: 0, output: outputs[step.id] }));
}

const ids = (rb: Runbook) => rb.steps.map((s) => s.id);

t.test('a UTF-8 byte order mark: the first fence is a step and the mark survives write-back', async (t) => {
  const dir = tempDir(t);
  for (const [name, text] of [
    ['bom.md', '\uFEFF```bash run id=first\necho hi\n```\n\n```text output\nTODO\n```\n'],
    ['bom-front.md', '\uFEFF---\ntitle: With BOM\n---\n```bash run id=first\necho hi\n```\n\n```text output\nTODO\n```\n'],
  ]) {
    writeFiles(dir, { [name]: text });
    const rb = loadRunbook(join(dir, name));
    t.same(ids(rb), ['first'], name);
    t.equal(rb.steps[0].position.line, name === 'bom.md' ? 1 : 4);
    writeBack(rb, passed(rb, { first: 'hi' }), { updateExpected: false });
    t.equal(readFileSync(join(dir, name), 'utf8'), text.replace('TODO', 'hi'), `${name}: only the body changed, the BOM is kept`);
  }
  writeFiles(dir, { 'bom.adoc': '\uFEFF[source,bash,runbook="run id=a"]\n----\necho a\n----\n' });
  t.same(ids(loadRunbook(join(dir, 'bom.adoc'))), ['a'], 'AsciiDoc too');
});

t.test('front matter whose opening line has a trailing space keeps its settings', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'fm.md': '--- \r\ntitle: Spaced\r\nvars:\r\n  # a comment\r\n  A: b\r\n---\t\r\n# One\r\n\r\n```bash run id=a\r\necho $A\r\n```\r\n' });
  const rb = loadRunbook(join(dir, 'fm.md'));
  t.equal(rb.settings.title, 'Spaced');
  t.same(rb.settings.vars, { A: 'b' });
  t.equal(rb.steps[0].position.line, 9);
});

t.test('a fence CommonMark ends with its list item is fine as documentation; steps need their closing fence', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'list.md': '- item\n\n  ```js\n  shown();\n- next\n\n```bash run id=after\necho after\n```\n' });
  t.same(ids(loadRunbook(join(dir, 'list.md'))), ['after']);
});

t.test('a fence on the list marker line is a step with its content indented under the item', async (t) => {
  const dir = tempDir(t);
  const text = '1. ```bash run id=marker\n   echo on the marker line\n   ```\n\n   ```text output\n   TODO\n   ```\n';
  writeFiles(dir, { 'marker.md': text });
  const rb = loadRunbook(join(dir, 'marker.md'));
  t.match(rb.steps[0], { id: 'marker', code: 'echo on the marker line' });
  writeBack(rb, passed(rb, { marker: 'one\ntwo' }), { updateExpected: false });
  t.equal(readFileSync(join(dir, 'marker.md'), 'utf8'), text.replace('   TODO\n', '   one\n   two\n'));
});

t.test('nesting: 100 levels are read, deeper is refused', async (t) => {
  const dir = tempDir(t);
  const list = Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
  writeFiles(dir, { 'deep.md': `${list}\n\n${'\n'.repeat(10_000)}\`\`\`bash run id=after\necho\n\`\`\`\n`, 'quote.md': `${'>'.repeat(100)} deep\n\n\`\`\`bash run id=q\necho\n\`\`\`\n` });
  t.same(ids(loadRunbook(join(dir, 'deep.md'))), ['after']);
  t.same(ids(loadRunbook(join(dir, 'quote.md'))), ['q']);
});

t.test('AsciiDoc conditionals are honoured as asciidoctor honours them', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'cond.adoc': [
      '= Book',
      ':on:',
      ':level: 3',
      ':off!:',
      '',
      'ifdef::off[]',
      '[source,bash,runbook="run id=unset"]',
      '----',
      'exit 1',
      '----',
      'endif::off[]',
      '',
      'ifdef::on[]',
      '[source,bash,runbook="run id=set"]',
      '----',
      'echo set',
      'ifndef::on[]',
      'echo never',
      'endif::[]',
      '----',
      'endif::[]',
      '',
      'ifdef::off,on[]',
      '// runbook: ingress id=any',
      'endif::[]',
      'ifdef::off+on[]',
      '// runbook: ingress id=all',
      'endif::[]',
      'ifeval::[{level} > 2]',
      '// runbook: ingress id=deep',
      'endif::[]',
      'ifeval::["{backend}" == "pdf"]',
      '// runbook: ingress id=pdf',
      'endif::[]',
      'ifdef::on[// runbook: ingress id=one-line]',
      ':later:',
      'ifndef::later[]',
      '// runbook: ingress id=before-later',
      'endif::later[]',
      '',
    ].join('\n'),
  });
  const rb = loadRunbook(join(dir, 'cond.adoc'));
  t.same(ids(rb), ['set', 'any', 'deep', 'one-line']);
  t.equal((rb.steps[0] as { code: string }).code, 'echo set', 'conditionals inside a listing apply to its lines');
});

t.test('AsciiDoc tables: a cell whose text is ---- opens no listing', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'table.adoc': ['= Book', '', '|===', '|cell', '----', '[source,bash]', '|===', '', '[source,bash,runbook="run id=after"]', '----', 'echo after', '----', ''].join('\n'),
  });
  const rb = loadRunbook(join(dir, 'table.adoc'));
  t.same(ids(rb), ['after']);
  t.equal((rb.steps[0] as { code: string }).code, 'echo after');
});

t.test('refusals name file:line in process too (encodings, size, nesting, front matter)', async (t) => {
  const { writeFileSync, openSync, ftruncateSync, closeSync } = await import('node:fs');
  const { RunbookErrors } = await import('../engine/errors.ts');
  const dir = tempDir(t);
  const problem = (name: string, bytes: Uint8Array | string): string => {
    writeFileSync(join(dir, name), bytes);
    try {
      loadRunbook(join(dir, name));
    } catch (e) {
      if (e instanceof RunbookErrors) return e.errors.map((x) => x.format()).join('\n');
      throw e;
    }
    return '';
  };
  const step = '```bash run id=a\necho\n```\n';
  t.match(problem('le.md', Buffer.from(`\uFEFF${step}`, 'utf16le')), /le\.md:1: the file is UTF-16 encoded/);
  t.match(problem('be.md', Buffer.from([0xfe, 0xff, 0, 0x23])), /be\.md:1: the file is UTF-16 encoded/);
  t.match(problem('nobom.md', Buffer.from(step, 'utf16le')), /nobom\.md:1: the file looks UTF-16 encoded \(no byte order mark\)/);
  t.match(problem('nul.md', `# T\n\nprose\n\0\n${step}`), /nul\.md:4: the file contains a NUL byte/);
  t.match(problem('latin1.md', Buffer.concat([Buffer.from(`${step}\nCaf`), Buffer.from([0xe9, 0x0a])])), /latin1\.md:5: the file is not valid UTF-8 \(byte \d+\)/);
  t.match(problem('overlong.md', Buffer.from([0x23, 0x20, 0xc0, 0xaf, 0x0a])), /overlong\.md:1: the file is not valid UTF-8 \(byte 3\)/);
  t.match(problem('control.md', `---\ntitle: x\nvars:\n  A: "\x07"\n---\n${step}`), /control\.md:4: front matter contains a control character \(U\+0007\)/);
  t.match(problem('quote.md', `${step}\n${'> '.repeat(101)}deep\n`), /quote\.md:5: lists and block quotes nested more than 100 deep/);
  t.match(problem('comment.md', `${step}\n<!-- never closed\n\ntext\n`), /comment\.md:5: this HTML comment is never closed/);
  t.match(problem('pre.md', `${step}\n<pre>\nshown\n`), /pre\.md:5: this HTML block is never closed[\s\S]*<\/pre>/);
  const fd = openSync(join(dir, 'big.md'), 'w');
  ftruncateSync(fd, 50 * 1024 * 1024 + 1);
  closeSync(fd);
  try {
    loadRunbook(join(dir, 'big.md'));
    t.fail('a file over 50 MiB is refused');
  } catch (e) {
    t.match((e as InstanceType<typeof RunbookErrors>).errors[0].format(), /big\.md:1: the file is 50\.0 MiB, more than the 50 MiB/);
  }
});
