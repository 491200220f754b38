import t from 'tap';
import { withoutHeredocBodies } from '../engine/check/references.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { which } from '../engine/commands/preflight.ts';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
      '```bash run id=writes-a-runbook',
      "cat > inner.md <<'EOF3'",
      'kubectl apply -f inner-missing.yaml',
      'EOF3',
      'kubectl apply -f after-heredoc-missing.yaml',
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
  t.notMatch(r.out, /inner-missing\.yaml/, 'a here-document\'s body is text, not a command');
  t.match(r.out, /step writes-a-runbook refers to after-heredoc-missing\.yaml, which does not exist/, 'the command after the body is checked');
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

t.test('shellcheck: several broken steps each found at its step; results cached by step code, so a second check lints only what changed', { skip: which('shellcheck') ? false : 'shellcheck is not installed (.ci/run installs it)' }, async (t) => {
  const dir = tempDir(t);
  // A shellcheck that records each script it is given, then runs the real one.
  const log = join(dir, 'calls.log');
  const real = which('shellcheck')!;
  writeFiles(dir, {
    'bin/shellcheck': `#!/usr/bin/env bash\nif [ "$1" = --version ]; then exec ${real} "$@"; fi\ninput=$(cat)\nprintf '%s\\n---\\n' "$input" >> ${log}\nprintf '%s\\n' "$input" | exec ${real} "$@"\n`,
  });
  chmodSync(join(dir, 'bin/shellcheck'), 0o755);
  const step = (id: string, code: string) => ['```bash run id=' + id, code, '```', ''];
  const book = (extra: string) =>
    ['# Many', '', ...step('a', 'echo "a"'), ...step('broken-1', 'if true; then'), ...step('b', 'echo "b"'), ...step('broken-2', 'for x in 1; do'), ...step('warned', extra)].join('\n');
  writeFiles(dir, { 'many.md': book('touch $(cat list.txt)') });
  const env = { PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
  const first = await runCli(['check', 'many.md'], { cwd: dir, env });
  t.equal(first.code, 2, first.out);
  t.match(first.out, /many\.md:8: SC\d+: .*\(step broken-1\)/);
  t.match(first.out, /many\.md:16: SC\d+: .*\(step broken-2\)/);
  t.match(first.out, /warning: many\.md:20: SC2046: .*\(step warned\)/);
  t.ok(existsSync(join(dir, '.runbook', 'cache', 'shellcheck.json')), 'findings cached beside the runbook');

  writeFileSync(log, '');
  const again = await runCli(['check', 'many.md'], { cwd: dir, env });
  t.equal(again.out, first.out, 'the same findings from the cache');
  t.equal(readFileSync(log, 'utf8'), '', 'nothing linted again');

  writeFiles(dir, { 'many.md': book('touch "$(cat list.txt)"') });
  const edited = await runCli(['check', 'many.md'], { cwd: dir, env });
  t.equal(edited.code, 2, edited.out);
  t.notMatch(edited.out, /SC2046/, 'the fixed step no longer warns');
  t.match(edited.out, /\(step broken-2\)/, 'cached findings of unchanged steps still reported');
  t.equal(readFileSync(log, 'utf8'), 'touch "$(cat list.txt)"\n:\n---\n'.replace(/^/, '#!/usr/bin/env bash\n'), 'only the changed step was linted');
});

t.test('here-document bodies are left out of what the reference check reads', async (t) => {
  t.equal(withoutHeredocBodies('cat > a <<EOF\n-f x.yaml\nEOF\necho -f y.yaml'), 'cat > a <<EOF\necho -f y.yaml');
  t.equal(withoutHeredocBodies('cat <<-"END"\n\t-f x.yaml\n\tEND\nnext'), 'cat <<-"END"\nnext', '<<- ends at a tab-indented delimiter');
  t.equal(withoutHeredocBodies("paste <<A <<'B'\na\nA\nb\nB\nlast"), "paste <<A <<'B'\nlast", 'two on one line, one after the other');
  t.equal(withoutHeredocBodies('echo "usage: cat <<EOF"\nkubectl apply -f u.yaml'), 'echo "usage: cat <<EOF"\nkubectl apply -f u.yaml', 'a WORD that never comes leaves every line');
  t.equal(withoutHeredocBodies('cat <<\\EOF\n-f x.yaml\nEOF\nafter'), 'cat <<\\EOF\nafter', '<<\\WORD');
  t.equal(withoutHeredocBodies('cat <<E"OF"\n-f x.yaml\nEOF\nafter'), 'cat <<E"OF"\nafter', 'quotes inside WORD are removed');
  t.equal(withoutHeredocBodies('x=$(cat <<EOF\n-f x.yaml\nEOF)\nafter'), 'x=$(cat <<EOF\nafter', 'WORD) ends a body inside $(…)');
  t.equal(withoutHeredocBodies('echo $((1 << 2)) $((n<<shift))\nkubectl apply -f w.yaml\nshift'), 'echo $((1 << 2)) $((n<<shift))\nkubectl apply -f w.yaml\nshift', 'a shift is no operator');
  t.equal(withoutHeredocBodies('grep -c x <<<EOF\nkubectl apply -f v.yaml'), 'grep -c x <<<EOF\nkubectl apply -f v.yaml', 'nor a here-string');
});
