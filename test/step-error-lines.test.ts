// bash's own messages about a step's code (syntax errors, unknown commands, a function an
// earlier step defined) name the runbook's file and line, never the session's scratch copy — in
// the terminal, in reports and in outputs --write captures.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\`\n\n`;

/** Runs the one runbook file in a new directory; returns the run, its JSON report and the directory. */
async function runOne(t: Test, name: string, text: string, extra: string[] = []) {
  const dir = tempDir(t);
  writeFiles(dir, { [name]: text });
  const run = await runCli(['run', name, ...extra, '--report', 'r.json'], { cwd: dir });
  t.equal(run.code, 0, run.out);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { steps: { id: string; output: string }[] };
  return { run, report, dir };
}

t.test('Markdown: the line of the chapter, also for a function defined two steps before', async (t) => {
  const { run: r, report, dir } = await runOne(
    t,
    'r.md',
    '# Lines\n\nSome prose.\n\n' + // lines 1-4
      fence('bash run id=syntax exit=any', 'echo one\nif then') + // fence at 5: code lines 6-7
      fence('bash run id=define', 'fail_later() {\n  echo in function\n  no-such-tool-abc\n}') + // fence at 10: code lines 11-14
      fence('bash run id=use exit=127', 'fail_later') + // fence at 17
      fence('text output', 'TODO'),
    ['--write'],
  );
  const output = (id: string) => report.steps.find((s) => s.id === id)!.output;
  t.match(output('syntax'), /^one\nr\.md: line 7: syntax error near unexpected token `then'\nr\.md: line 7: `if then'\n$/);
  t.equal(output('use'), 'in function\nr.md: line 13: no-such-tool-abc: command not found\n', 'the line of the function body, in the step that defined it');
  t.notMatch(r.out + JSON.stringify(report), /code-\d+\.sh|runbook-session-/, 'no scratch path anywhere');
  t.match(readFileSync(join(dir, 'r.md'), 'utf8'), /```text output\nin function\nr\.md: line 13: no-such-tool-abc: command not found\n```/, 'the captured output is the same on every machine');
});

t.test('AsciiDoc: the line of the chapter; with conditionals inside the listing, the step and the line of its code', async (t) => {
  const { report } = await runOne(
    t,
    'a.adoc',
    '= A\n\n[source,bash,runbook="run id=plain exit=127"]\n----\necho a\nnope-cmd\n----\n\n' + // code lines 5-6
      '[source,bash,runbook="run id=filtered exit=127"]\n----\necho b\nifdef::never[]\necho hidden\nendif::never[]\nnope-cmd\n----\n',
  );
  const steps = report.steps;
  t.equal(steps[0].output, 'a\na.adoc: line 6: nope-cmd: command not found\n');
  t.equal(steps[1].output, 'b\na.adoc: step filtered: line 2: nope-cmd: command not found\n', 'lines of the file and of the code differ here');
});

t.test('a background step: its messages name the chapter line too', async (t) => {
  const { run: r, report } = await runOne(
    t,
    'b.md',
    '# Background\n\n' + // lines 1-2
      fence('bash background id=daemon ready=^up$', 'no-such-daemon-abc\necho up\nexec sleep 300') + // fence at 3: code lines 4-6
      fence('bash run id=after', 'echo after'),
  );
  t.equal(report.steps[0].output, 'b.md: line 4: no-such-daemon-abc: command not found\nup\n');
  t.notMatch(r.out + JSON.stringify(report), /bg-\d+\.sh|runbook-session-/, 'no scratch path anywhere');
});
