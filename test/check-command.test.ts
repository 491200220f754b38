import t from 'tap';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { which } from '../engine/commands/preflight.ts';

t.test('the tutorial passes runbook check offline', async (t) => {
  const r = await runCli(['check', 'runbook/'], { timeoutMs: 120_000 });
  t.equal(r.code, 0, r.out);
  t.match(r.out, /check passed/);
  t.match(r.out, /output blocks? still TODO/);
});

t.test('missing references fail with file:line; TODOs are listed', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Refs\n',
    'book/01.md': [
      '# Refs',
      '',
      '```bash run id=apply',
      'kubectl apply -f "$RUNBOOK_ROOT/../manifests/missing.yaml"',
      '```',
      '',
      '```bash run id=local cwd=nowhere',
      'kubectl apply -f manifests/also-missing.yaml',
      '```',
      '',
      '```text output',
      'TODO',
      '```',
      '',
      '```bash run id=made',
      'cat > made.yaml <<EOF2',
      'x: 1',
      'EOF2',
      'kubectl apply -f made.yaml',
      '```',
      '',
    ].join('\n'),
  });
  const r = await runCli(['check', 'book'], { cwd: dir });
  t.equal(r.code, 2);
  t.match(r.out, /book\/01\.md:3: step apply refers to \$RUNBOOK_ROOT\/\.\.\/manifests\/missing\.yaml, which does not exist/);
  t.match(r.out, /book\/01\.md:7: step local refers to cwd=nowhere/);
  t.match(r.out, /book\/01\.md:7: step local refers to manifests\/also-missing\.yaml/);
  t.notMatch(r.out, /made\.yaml, which does not exist/, 'files a step creates are not missing');
  t.match(r.out, /1 output block still TODO[^\n]*\n\s+book\/01\.md:11\s+output of local/);
});

t.test('shellcheck findings map back to the line inside the step', { skip: which('shellcheck') ? false : 'shellcheck is not installed (.ci/run installs it)' }, async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'lint.md': ['# Lint', '', '```bash run id=fine', 'echo "ok"', '```', '', '```bash run id=broken', 'echo start', 'if [ -f x ]; then', '  echo yes', '```', '', '```bash run id=warned', 'touch $(cat list.txt)', '```', ''].join('\n'),
  });
  const r = await runCli(['check', 'lint.md'], { cwd: dir });
  t.equal(r.code, 2, r.out);
  t.match(r.out, /lint\.md:\d+: SC\d+: .*\(step broken\)/, 'a syntax error is an error at its step');
  t.match(r.out, /warning: lint\.md:14: SC2046: .*\(step warned\)/, 'a warning names the exact line, after a broken step');
});
