// `runbook init`: the scaffold passes `runbook run` at once (and `check`, `--write`, `render`),
// it says what to do next, and it never overwrites anything.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/tmp.ts';
import { SCAFFOLD } from '../engine/commands/init-scaffold.ts';
import { loadRunbook } from '../engine/read/index.ts';

t.test('init in an empty directory, then run there: passes, and the scaffold shows each part of the format', async (t) => {
  const dir = tempDir(t, 'runbook-init-');
  const init = await runCli(['init'], { cwd: dir });
  t.equal(init.code, 0, init.out);
  t.match(init.out, /created a runbook in runbook\/:\n  runbook\/runbook\.yaml +settings/);
  t.match(init.out, /Next:\n  runbook run +run it/, 'says what to do next');
  t.match(init.out, /Reference: .*docs\/README\.adoc/);
  t.match(init.out, /schemas\/settings\.schema\.json/);
  t.same(readdirSync(join(dir, 'runbook')).sort(), Object.keys(SCAFFOLD).sort());

  const runbook = loadRunbook(join(dir, 'runbook'));
  t.equal(runbook.settings.title, 'My first runbook');
  const kinds = runbook.steps.map((s) => s.kind);
  for (const kind of ['run', 'verify', 'cleanup']) t.ok(kinds.includes(kind as never), `has a ${kind} step`);
  t.ok(runbook.steps.some((s) => s.expect && !s.expect.todo), 'has an expect-output');
  t.ok(runbook.steps.some((s) => s.output?.todo), 'has an output block for --write to fill');

  const run = await runCli(['run'], { cwd: dir });
  t.equal(run.code, 0, run.out);
  t.match(run.out, /4 passed, 0 failed, 0 skipped/);
  t.match(run.out, /runbook: My first runbook, 4 steps \(1 cleanup\)/);

  const check = await runCli(['check'], { cwd: dir });
  t.equal(check.code, 0, check.out);
  t.match(check.out, /1 output block still TODO/);

  const write = await runCli(['run', '--write'], { cwd: dir });
  t.equal(write.code, 0, write.out);
  t.match(readFileSync(join(dir, 'runbook/01-first-steps.md'), 'utf8'), /```text output\nready\n```/, '--write filled the output block');

  const render = await runCli(['render'], { cwd: dir });
  t.equal(render.code, 0, render.out);
  t.match(readFileSync(join(dir, 'README.adoc'), 'utf8'), /= My first runbook/);
});

t.test('init DIR creates the directory and names it in the next steps', async (t) => {
  const dir = tempDir(t, 'runbook-init-');
  const init = await runCli(['init', 'guides/deploy'], { cwd: dir });
  t.equal(init.code, 0, init.out);
  t.match(init.out, /runbook run guides\/deploy +run it/);
  const run = await runCli(['run', 'guides/deploy'], { cwd: dir });
  t.equal(run.code, 0, run.out);
});

t.test('a directory that holds files is refused: exit 2, the file named, nothing written', async (t) => {
  const dir = tempDir(t, 'runbook-init-');
  mkdirSync(join(dir, 'book'));
  writeFileSync(join(dir, 'book/runbook.yaml'), 'title: mine\n');
  const clash = await runCli(['init', 'book'], { cwd: dir });
  t.equal(clash.code, 2);
  t.match(clash.out, /book\/runbook\.yaml already exists; nothing was written/);
  t.match(clash.out, /never overwrites/);
  t.equal(readFileSync(join(dir, 'book/runbook.yaml'), 'utf8'), 'title: mine\n', 'the file is untouched');
  t.notOk(existsSync(join(dir, 'book/01-first-steps.md')), 'and nothing was added beside it');

  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes/todo.md'), '# mine\n');
  const other = await runCli(['init', 'notes'], { cwd: dir });
  t.equal(other.code, 2);
  t.match(other.out, /notes is not empty \(it holds notes\/todo\.md\); nothing was written/);
  t.same(readdirSync(join(dir, 'notes')), ['todo.md']);

  writeFileSync(join(dir, 'plain'), 'x');
  const file = await runCli(['init', 'plain'], { cwd: dir });
  t.equal(file.code, 2);
  t.match(file.out, /plain is a file, not a directory/);

  mkdirSync(join(dir, 'repo/.git'), { recursive: true });
  const hiddenOnly = await runCli(['init', 'repo'], { cwd: dir });
  t.equal(hiddenOnly.code, 0, 'a directory holding only hidden entries (.git) counts as empty');
});
