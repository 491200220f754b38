// An AsciiDoc runbook run end to end through the real command: `run --write` fills its output
// listings and leaves every other byte as it was, with LF and with CRLF line endings, prints and
// reports the drift per rewritten block, and refuses an output that would end its listing early.
import t, { type Test } from 'tap';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/tmp.ts';

const fixture = (name: string) => new URL(`./fixtures/adoc/${name}`, import.meta.url);

/** The fixture as --write must leave it: three output bodies change, nothing else. */
function expectedAfterWrite(tt: Test, lf: string): string {
  const once = (text: string, from: string, to: string) => {
    tt.equal(text.split(from).length, 2, `"${from.trim()}" occurs once in the fixture`);
    return text.replace(from, to);
  };
  let text = once(lf, '----\nTODO\n----', '----\nhello world\n----');
  text = once(text, '----\nan old output\n----', '----\nline one\nline two\n----');
  text = once(text, '[source,text,runbook="output"]\n----\n----', '[source,text,runbook="output"]\n----\nnested\n----');
  return text;
}

for (const eol of ['\n', '\r\n']) {
  const name = eol === '\n' ? 'LF' : 'CRLF';
  t.test(`run --write on an AsciiDoc runbook (${name})`, async (t) => {
    const dir = tempDir(t);
    const lf = readFileSync(fixture('tutorial.adoc'), 'utf8');
    writeFileSync(join(dir, 'tutorial.adoc'), lf.replace(/\n/g, eol));
    copyFileSync(fixture('runbook.yaml'), join(dir, 'runbook.yaml'));

    const run = await runCli(['run', 'tutorial.adoc', '--write', '--report', 'run.json'], { cwd: dir });
    t.equal(run.code, 0, run.out);
    t.match(run.out, /5 passed, 0 failed, 1 skipped/);

    const after = readFileSync(join(dir, 'tutorial.adoc'), 'utf8');
    t.equal(after, expectedAfterWrite(t, lf).replace(/\n/g, eol), 'only the output bodies changed; every other byte (and the line endings) kept');

    t.match(run.out, /updated output of greet at tutorial\.adoc:13\n {2}--- tutorial\.adoc:13 \(before\)\n {2}\+\+\+ \(captured\)\n[\s\S]*? {2}-TODO\n {2}\+hello world/);
    t.match(run.out, /updated output of stale at tutorial\.adoc:23/);
    t.notMatch(run.out, /updated output of alike/, 'an output that is already alike stays as it is');

    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    t.same(
      report.drift.map((d: { stepId: string; file: string; line: number; kind: string }) => [d.stepId, d.file, d.line, d.kind]),
      [
        ['greet', 'tutorial.adoc', 13, 'output'],
        ['stale', 'tutorial.adoc', 23, 'output'],
        ['nested', 'tutorial.adoc', 59, 'output'],
      ],
    );
    t.match(report.drift[1].diff, /-an old output\n\+line one\n\+line two/);

    const again = await runCli(['run', 'tutorial.adoc', '--write'], { cwd: dir });
    t.equal(again.code, 0);
    t.notMatch(again.out, /updated output/, 'a second run finds nothing to change');
    t.equal(readFileSync(join(dir, 'tutorial.adoc'), 'utf8'), after);
  });
}

t.test('an output line equal to the listing delimiter is refused, the file left alone', async (t) => {
  const dir = tempDir(t);
  const text = ['= Delimiters', '', '[source,bash,runbook="run id=dash"]', '----', "printf -- '----\\n'", '----', '', '[source,text,runbook="output"]', '----', 'TODO', '----', ''].join('\n');
  writeFileSync(join(dir, 'book.adoc'), text);
  const run = await runCli(['run', 'book.adoc', '--write'], { cwd: dir });
  t.equal(run.code, 1);
  t.match(run.out, /not written: book\.adoc: the output of dash contains a line that would close its fence at line 8; use a longer fence/);
  t.equal(readFileSync(join(dir, 'book.adoc'), 'utf8'), text);

  // A longer delimiter takes the same output.
  writeFileSync(join(dir, 'book.adoc'), text.replace('----\nTODO\n----', '-----\nTODO\n-----'));
  const longer = await runCli(['run', 'book.adoc', '--write'], { cwd: dir });
  t.equal(longer.code, 0, longer.out);
  t.match(readFileSync(join(dir, 'book.adoc'), 'utf8'), /-----\n----\n-----\n$/);
});
