// The rendered docs work for a reader who copies the commands into a fresh shell in a clone of
// the repository: the variables come from a visible block rendered from runbook.yaml, paths are
// relative to the repository's root, and no pattern is shown as output.
// 1. A no-cluster fixture (test/fixtures/by-hand/) is rendered; its rendered commands for one
//    target are run in plain bash (`set -eu`, a bare environment) and must do what the engine
//    does with the same runbook.
// 2. The real tutorial, rendered: for each target, every variable a command expands is set by the
//    variables block or by an earlier command a reader sees.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/tmp.ts';
import { bashListings, outputTitles, scriptFor } from './support/rendered-commands.ts';
import { expandedNames, unsetVariableUses } from './support/shell-variables.ts';

const FIXTURE = new URL('./fixtures/by-hand/', import.meta.url).pathname;

function fixtureCopy(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t, 'runbook-by-hand-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Plain bash in a bare environment: only PATH and a HOME of its own, as in a new terminal. */
function byHand(dir: string, script: string) {
  const home = join(dir, '.home');
  return spawnSync('bash', ['--noprofile', '--norc', '-e', '-u', '-c', script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

t.test('the rendered commands of the fixture run by hand in plain bash, for each target', async (t) => {
  const dir = fixtureCopy(t);
  const rendered = await runCli(['render', 'runbook'], { cwd: dir });
  t.equal(rendered.code, 0, rendered.out);
  const adoc = readFileSync(join(dir, 'README.adoc'), 'utf8');

  const listings = bashListings(adoc);
  t.match(listings[0].title, /^Set the variables first \(from runbook\/runbook\.yaml\), in a new shell/, 'the variables come first, in a visible block');
  t.equal(listings[0].body, ["export GREETING=hello", 'export WORK_DIR=scratch/work', "export MOTTO='paths a reader'\\''s shell resolves'"].join('\n'));
  t.notMatch(adoc, /only the engine runs this/, 'hidden steps are not shown');
  t.notMatch(adoc, /RUNBOOK_ROOT|RUNBOOK_TARGET/, 'no engine-only variables');
  t.notMatch(adoc, /\^\[1-9\]|\\d\+/, 'no pattern shown as output');
  t.same(outputTitles(adoc), ['Expected output', 'Expected output', 'Example output', 'Example output']);

  for (const target of ['laptop', 'server']) {
    const run = byHand(dir, scriptFor(adoc, target));
    t.equal(run.status, 0, `${target}: exit 0\n${run.stderr}`);
    t.equal(
      run.stdout,
      ['hello, the work directory is ready', 'from a manifest', `running on a ${target}`, '32', `done on a ${target} in 0 seconds`, ''].join('\n'),
      `${target}: the outputs the docs show`,
    );
    t.notOk(existsSync(join(dir, 'scratch', 'work')), `${target}: the cleanup command ran too`);
  }
});

t.test('the engine runs the same fixture with the same results', async (t) => {
  const dir = fixtureCopy(t);
  for (const target of ['laptop', 'server']) {
    const r = await runCli(['run', 'runbook', '--target', target], { cwd: dir });
    t.equal(r.code, 0, r.out);
    t.match(r.out, /run passed/);
  }
});

t.test('a reader\'s shell has every variable of the rendered tutorial set before it is used', async (t) => {
  const dir = tempDir(t, 'runbook-tutorial-render-');
  const out = join(dir, 'README.adoc');
  const r = await runCli(['render', 'runbook/', '--adoc', out, '--html', join(dir, 'site')], { timeoutMs: 120_000 });
  t.equal(r.code, 0, r.out);
  const whole = readFileSync(out, 'utf8');
  // The tutorial is the chapters: from the first one to the engine's own sections of the template.
  const adoc = whole.slice(whole.indexOf('// Source: '), whole.indexOf('\n== The runbook engine\n'));
  t.notMatch(adoc, /\$\{?RUNBOOK_ROOT\b/, 'no command relies on the engine\'s RUNBOOK_ROOT');
  const shellOwn = ['PATH', 'HOME', 'PWD', 'RANDOM'];
  for (const target of ['kind', 'eks']) {
    const commands = bashListings(adoc)
      .filter((l) => l.targets.length === 0 || l.targets.includes(target))
      .map((l) => l.body);
    const block = commands.findIndex((c) => c.startsWith('export ISTIO_VERSION='));
    t.match(commands[block], /^export ISTIO_VERSION=1\.31\.\d+\nexport CLUSTER_NAME=istio-runbook\nexport AWS_REGION=us-west-2\nexport RUNBOOK_WORK=\.runbook\/work$/, `${target}: the variables block`);
    t.same(commands.slice(0, block).flatMap(expandedNames), [], `${target}: no command before the variables block uses a variable`);
    const unset = unsetVariableUses(commands, shellOwn).map((u) => `${u.name} in: ${commands[u.command].split('\n')[0]}`);
    t.same(unset, [], `${target}: no command expands a variable nothing visible set`);
  }
});

t.test('the lexer: single quotes, arithmetic, defaults and assignments', async (t) => {
  const uses = unsetVariableUses(
    [
      "export A=1 B=2",
      `echo "$A $B" '$NOT' $((A + 1)) \${C:-x} $1 $? # $COMMENT`,
      'for f in x; do echo "$f"; done; read -r line < /dev/null; echo "$line $D"',
    ],
    [],
  );
  t.same(uses, [{ name: 'D', command: 2 }]);
});
