import t from 'tap';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, PROJECT } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { processesWith } from './support/terminal.ts';
import { until } from './support/until.ts';

t.test('the no-cluster example runbook passes from the project root', async (t) => {
  const r = await runCli(['run', 'test/fixtures/no-cluster.md']);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /PASS \[1\/4\] greet/);
  t.match(r.out, /PASS \[cleanup\] remove-workspace/);
  t.match(r.out, /^runbook: .*, 5 steps \(1 cleanup\)$/m, 'the header counts every planned step');
  t.match(r.out, /5 passed, 0 failed, 0 skipped, 0 not run/, 'cleanup steps count too');
});

t.test('json and junit reports, --keep-going, exit 1 with the failure described', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'r.md': '# R\n\n```bash run id=ok\necho fine\n```\n\n```bash run id=bad\necho "actual text"\n```\n\n```text expect-output\nexpected text\n```\n\n```bash run id=after\necho after\n```\n\n```bash skip id=shown reason="manual"\nopen http://x\n```\n',
  });
  const r = await runCli(['run', 'r.md', '--keep-going', '--report', 'out/run.json', '--report', 'out/run.xml'], { cwd: dir });
  t.equal(r.code, 1);
  t.match(r.out, /✖ step bad failed at r\.md:7/);
  t.match(r.out, /-expected text\n\s+\+actual text/);
  t.match(r.out, /PASS \[3\/4\] after/, '--keep-going ran the next step');
  const report = JSON.parse(readFileSync(join(dir, 'out/run.json'), 'utf8'));
  t.equal(report.status, 'failed');
  t.same(report.steps.map((s: { id: string; status: string }) => [s.id, s.status]), [['ok', 'passed'], ['bad', 'failed'], ['after', 'passed'], ['shown', 'skipped']]);
  t.match(report.steps[1], { kind: 'run', file: 'r.md', line: 7, attempts: 1, exitCode: 0, output: 'actual text\n' });
  const xml = readFileSync(join(dir, 'out/run.xml'), 'utf8');
  t.match(xml, /<testsuites name="runbook" tests="4" failures="1"/);
  t.match(xml, /<testcase name="bad" classname="r.md" file="r.md" line="7"[^>]*>\s*<properties>.*<\/properties>\s*<failure message="output does not match \(like\)"/);
  t.match(xml, /<skipped message="manual"\/>/);
});

t.test('usage errors exit 2 and run nothing', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'r.md': '```bash run id=a\ntouch ran\n```\n' });
  for (const args of [['run', 'r.md', '--target', 'nope'], ['run', 'r.md', '--from', 'missing'], ['run', 'r.md', '--report', 'x.pdf'], ['run', 'r.md', '--set', 'no-equals'], ['run', 'nowhere.md'], ['bogus'], ['run', 'r.md', '--update-expected']]) {
    const r = await runCli(args, { cwd: dir });
    t.equal(r.code, 2, `${args.join(' ')} → 2\n${r.out}`);
    t.notOk(existsSync(join(dir, 'ran')), `${args.join(' ')} ran nothing`);
    t.notMatch(r.out, /at .*\.ts:\d+/, 'no stack trace');
  }
});

t.test('--set, vars, RUNBOOK_ROOT and RUNBOOK_TARGET reach the session; --workdir', async (t) => {
  const dir = tempDir(t);
  const work = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'vars: { V: from-yaml, W: keep }\ntargets: { local: {} , other: {} }\n',
    'book/01.md': '```bash run id=show\necho "$V $W $RUNBOOK_TARGET $(basename $RUNBOOK_ROOT) $PWD"\n```\n\n```bash run id=only-other target=other\necho other\n```\n',
  });
  const r = await runCli(['run', 'book', '--set', 'V=from-cli', '--target', 'local', '--workdir', work, '--report', 'r.json'], { cwd: dir });
  t.equal(r.code, 0, r.out);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  t.equal(report.steps.length, 1, 'steps of other targets are not planned');
  t.equal(report.steps[0].output, `from-cli keep local book ${work}\n`);
});

t.test('--dry-run prints the plan; list and list --json show every step', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'p.md': '---\ntargets: { a: {}, b: {} }\n---\n# P\n```bash run id=one\nx\n```\n```bash run id=two target=b\nx\n```\n<!-- runbook: wait pods namespace=default -->\n```bash cleanup id=c\nx\n```\n' });
  const dry = await runCli(['run', 'p.md', '--dry-run', '--target', 'b'], { cwd: dir });
  t.equal(dry.code, 0);
  t.match(dry.out, /plan for .* on target b/);
  t.match(dry.out, /1\s+run\s+one\s+all\s+p\.md:5/);
  t.match(dry.out, /2\s+run\s+two\s+b\s+p\.md:8/);
  t.match(dry.out, /3\s+wait pods\s+p\/p\s+all\s+p\.md:11/);
  t.match(dry.out, /end\s+cleanup\s+c/);
  const listed = await runCli(['list', 'p.md', '--json'], { cwd: dir });
  const rows = JSON.parse(listed.out).steps;
  t.same(rows.map((r: { id: string; kind: string; line: number }) => [r.id, r.kind, r.line]), [['one', 'run', 5], ['two', 'run', 8], ['p/p', 'wait pods', 11], ['c', 'cleanup', 12]]);
  const plain = await runCli(['list', 'p.md'], { cwd: dir });
  t.match(plain.out, /two\s+run\s+p\.md:8\s+b/);
});

t.test('--only, --tags, --until choose steps', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'o.md': '```bash run id=a tags=x\necho a\n```\n```bash run id=b\necho b\n```\n```bash run id=c tags=x\necho c\n```\n' });
  const ids = async (args: string[]) => {
    await runCli(['run', 'o.md', '--report', 'o.json', ...args], { cwd: dir });
    return JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8')).steps.map((s: { id: string }) => s.id);
  };
  t.same(await ids(['--only', 'b,c']), ['b', 'c']);
  t.same(await ids(['--tags', 'x']), ['a', 'c']);
  t.same(await ids(['--until', 'b']), ['a', 'b']);
});

t.test('--from resumes with the session saved before that step', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'f.md': '```bash run id=setup\nexport GREETING=abc; mkdir -p deep; cd deep\n```\n```bash run id=use\necho "$GREETING $(basename $PWD)"; test -f ../go\n```\n' });
  const first = await runCli(['run', 'f.md'], { cwd: dir });
  t.equal(first.code, 1, 'fails the first time: ../go missing');
  writeFiles(dir, { go: '' });
  const resumed = await runCli(['run', 'f.md', '--from', 'use', '--report', 'r.json'], { cwd: dir });
  t.equal(resumed.code, 0, resumed.out);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  t.same(report.steps.map((s: { id: string }) => s.id), ['use']);
  t.equal(report.steps[0].output, 'abc deep\n');
  const fresh = tempDir(t);
  writeFiles(fresh, { 'f.md': readFileSync(join(dir, 'f.md'), 'utf8') });
  writeFiles(fresh, { 'cleanup.md': '```bash cleanup id=c\ntouch cleaned\n```\n' + readFileSync(join(dir, 'f.md'), 'utf8') });
  const noState = await runCli(['run', 'cleanup.md', '--from', 'use'], { cwd: fresh });
  t.equal(noState.code, 2, 'usage error: nothing runs');
  t.match(noState.out, /--from use: no saved session state for this step/);
  t.notOk(existsSync(join(fresh, 'cleaned')), 'not even cleanup steps');
  const elsewhere = await runCli(['run', join(dir, 'f.md'), '--from', 'use'], { cwd: fresh });
  t.equal(elsewhere.code, 0, 'the state is found from any working directory');
});

for (const [signal, marker] of [['SIGINT', '44.75'], ['SIGHUP', '44.25'], ['SIGTERM', '44.125']] as const) {
  t.test(`${signal} stops the step, runs cleanup, exits 130 and leaves no process`, async (t) => {
    const dir = tempDir(t);
    writeFiles(dir, { 'i.md': `\`\`\`bash cleanup id=tidy\necho tidy > cleaned\n\`\`\`\n\`\`\`bash run id=bg\nsleep ${marker} >/dev/null 2>&1 &\n\`\`\`\n\`\`\`bash run id=long\nsleep ${marker} & sleep ${marker}\n\`\`\`\n` });
    let pid = 0;
    const running = runCli(['run', 'i.md'], { cwd: dir, onSpawn: (p) => (pid = p) });
    // The signal handlers are installed before the first step starts; once the second step's
    // two sleeps run beside the first step's one, the run is in the middle of a step.
    await until(() => processesWith(`sleep ${marker}`).length >= 3, 'the steps to start their sleeps');
    process.kill(pid, signal);
    const r = await running;
    t.equal(r.code, 130, r.out);
    t.ok(existsSync(join(dir, 'cleaned')), 'cleanup ran');
    t.match(r.out, /FAIL \[2\/2\] long/, 'the signal stopped the running step');
    t.same(processesWith(`sleep ${marker}`), [], 'no process of the run survives');
  });
}

t.test('--write fills TODO outputs; a step failing verify reports attempts and times out', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'w.md': '```bash run id=a\necho captured\n```\n\n```text output\nTODO\n```\n\n```bash verify id=never timeout=1s interval=200ms\nfalse\n```\n' });
  const r = await runCli(['run', 'w.md', '--write', '--report', 'r.json'], { cwd: dir });
  t.equal(r.code, 1);
  t.match(r.out, /updated output of a at w\.md:5/);
  t.match(readFileSync(join(dir, 'w.md'), 'utf8'), /```text output\ncaptured\n```/);
  const step = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).steps[1];
  t.equal(step.status, 'timedout');
  t.ok(step.attempts >= 3, `attempts ${step.attempts}`);
  t.match(step.message, /timed out after 1s \(\d+ attempts; last: exit code 1, expected 0\)/);
  t.same(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).drift.map((d: { stepId: string }) => d.stepId), ['a']);
});

t.test('exit=any and exit=N', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'e.md': '```bash run exit=3\nexit 3\n```\n```bash run exit=any\nexit 9\n```\n' });
  const r = await runCli(['run', 'e.md'], { cwd: dir });
  t.equal(r.code, 0, r.out);
});

t.test('secrets are redacted in terminal output and reports', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 's.md': '---\nredact: ["acct-[0-9]{4}"]\n---\n```bash run id=leak\necho AKIAIOSFODNN7EXAMPLE acct-1234; false\n```\n' });
  const r = await runCli(['run', 's.md', '--report', 'r.json'], { cwd: dir });
  t.notMatch(r.out, /AKIAIOSFODNN7EXAMPLE|acct-1234/);
  t.match(r.out, /\[REDACTED\] \[REDACTED\]/);
  t.notMatch(readFileSync(join(dir, 'r.json'), 'utf8'), /AKIAIOSFODNN7EXAMPLE|acct-1234/);
});

t.test('every planned step is in every report: not run, and why', async (t) => {
  const dir = tempDir(t);
  const steps = Array.from({ length: 9 }, (_, i) => `\`\`\`bash run id=s${i + 1}\n${i === 2 ? 'false' : 'true'}\n\`\`\`\n`).join('');
  writeFiles(dir, { 'n.md': `${steps}\`\`\`bash cleanup id=tidy\ntrue\n\`\`\`\n` });
  const r = await runCli(['run', 'n.md', '--report', 'r.json', '--report', 'r.xml', '--report', 'r.html'], { cwd: dir });
  t.equal(r.code, 1);
  t.match(r.out, /^runbook: n\.md, 10 steps \(1 cleanup\)$/m);
  t.match(r.out, /^3 passed, 1 failed, 0 skipped, 6 not run$/m, 'the summary adds up to the header: cleanup passed too');
  t.match(r.out, /^not run: s4, s5, s6, s7, s8, s9 \(s3 failed before it\)$/m);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  t.same(report.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`), ['s1:passed', 's2:passed', 's3:failed', ...['s4', 's5', 's6', 's7', 's8', 's9'].map((id) => `${id}:not run`), 'tidy:passed']);
  t.equal(report.steps[3].message, 'not run: s3 failed before it');
  t.same(report.counts, { total: 10, passed: 3, failed: 1, skipped: 0, notRun: 6 });
  const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
  t.match(xml, /<testsuites name="runbook" tests="10" failures="1" skipped="6"/);
  t.match(xml, /<testcase name="s9"[^>]*>\s*<properties><property name="status" value="not run"\/><\/properties>\s*<skipped message="not run: s3 failed before it"\/>/);
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  t.equal(html.match(/<section class="step /g)?.length, 10, 'one section per planned step');
  t.equal(html.match(/<section class="step not-run"/g)?.length, 6);
  t.match(html, /<div class="tile-not-run"><b>6<\/b>not run<\/div>/);
  t.match(html, /<h2>Steps \(10: 3 passed, 1 failed, 0 skipped, 6 not run\)<\/h2>/);
});

t.test('--version; --set for a name nothing uses warns with the closest one', async (t) => {
  const version = await runCli(['--version']);
  t.equal(version.code, 0);
  t.match(version.out, new RegExp(`^runbook ${JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')).version.replace(/\./g, '\\.')} \\(node v\\d+`));
  const dir = tempDir(t);
  writeFiles(dir, { 'v.md': '---\nvars: { AWS_REGION: us-west-2 }\n---\n```bash run id=a\necho "$AWS_REGION $CLUSTER_NAME"\n```\n' });
  const typo = await runCli(['run', 'v.md', '--set', 'AWS_REGON=eu-west-1', '--set', 'CLUSTER_NAME=x', '--set', 'TOTALLY_UNRELATED_THING=1'], { cwd: dir, env: { AWS_REGION: '' } });
  t.equal(typo.code, 0, 'a warning, not an error');
  t.match(typo.out, /runbook: warning: --set AWS_REGON: no step or setting of this runbook uses AWS_REGON; did you mean AWS_REGION\?/);
  t.match(typo.out, /runbook: warning: --set TOTALLY_UNRELATED_THING: no step or setting of this runbook uses TOTALLY_UNRELATED_THING\n/);
  t.notMatch(typo.out, /--set CLUSTER_NAME/, 'a name a step uses is fine');
});

t.test('--help teaches', async (t) => {
  const r = await runCli(['--help'], { cwd: PROJECT });
  t.equal(r.code, 0);
  t.match(r.out, /Examples:/);
  t.match(r.out, /Exit codes: 0 passed, 1 a step failed, 2 bad usage/);
  const run = await runCli(['run', '--help']);
  t.match(run.out, /--from <id>/);
  t.match(run.out, /-i, --interactive/);
  t.match(run.out, /--shell-on-failure/);
  t.match(run.out, /Interactive runs \(-i\)/);
});
