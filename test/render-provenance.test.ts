// Provenance of the rendered docs: `run --write` records when, on which target and with which
// versions the outputs were captured (only after a passing run, only for runbooks that keep
// `_readme/`), from the run's facts and nothing else; `render` turns the record into a sentence.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { provenanceText, readCaptureRecord, recordCapture } from '../engine/render/provenance.ts';
import type { RunResult } from '../engine/execute/results.ts';
import { PROJECT, runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const CHAPTER = ['# Capture', '', '```bash run id=hello', 'echo hello', '```', '', '```text output', 'TODO', '```', ''].join('\n');

function runbookDir(t: Parameters<typeof tempDir>[0], options: { readme: boolean; failing?: boolean }): string {
  const dir = tempDir(t, 'runbook-provenance-');
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Provenance\ntargets:\n  local: {}\n',
    'book/01-capture.md': CHAPTER + (options.failing ? '```bash run id=fails\nexit 3\n```\n' : ''),
  });
  if (options.readme) mkdirSync(join(dir, 'book/_readme'));
  return dir;
}

const record = (dir: string) => JSON.parse(readFileSync(join(dir, 'book/_readme/captured.json'), 'utf8'));

t.test('a passing run --write records the capture; render shows it', async (t) => {
  const dir = runbookDir(t, { readme: true });
  const before = Date.now();
  const run = await runCli(['run', 'book', '--write'], { cwd: dir });
  t.equal(run.code, 0, run.out);
  t.match(run.out, /recorded the capture in book\/_readme\/captured\.json \(run `runbook render book` to update the rendered docs\)/);
  const captured = record(dir);
  t.same(Object.keys(captured).sort(), ['capturedAt', 'engineVersion', 'scope', 'target'], 'no cluster versions without facts: nothing is invented');
  t.equal(captured.engineVersion, JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')).version, 'the engine that ran');
  t.equal(captured.target, 'local');
  t.equal(captured.scope, 'full');
  t.ok(Date.parse(captured.capturedAt) >= before - 1000 && Date.parse(captured.capturedAt) <= Date.now());

  const render = await runCli(['render', 'book', '--adoc', 'README.adoc'], { cwd: dir });
  t.equal(render.code, 0, render.out);
  const readme = readFileSync(join(dir, 'README.adoc'), 'utf8');
  t.match(readme, /NOTE: Outputs last captured \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC on the local target by runbook \d+\.\d+\.\d+ \(`\+runbook run --write\+`\)\./);
  t.notMatch(readme, /Kubernetes|Istio/, 'a run without a cluster names no cluster versions');
  t.match(readme, /\.Output\n----\nhello\n----/);

  const partial = await runCli(['run', 'book', '--write', '--only', 'hello'], { cwd: dir });
  t.equal(partial.code, 0, partial.out);
  t.equal(record(dir).scope, 'partial', '--only captures part of the tutorial');
});

t.test('no record after a failing run, and none for runbooks without _readme/', async (t) => {
  const failing = runbookDir(t, { readme: true, failing: true });
  const run = await runCli(['run', 'book', '--write'], { cwd: failing });
  t.equal(run.code, 1);
  t.notOk(existsSync(join(failing, 'book/_readme/captured.json')));
  t.notMatch(run.out, /recorded the capture/);

  const plain = runbookDir(t, { readme: false });
  t.equal((await runCli(['run', 'book', '--write'], { cwd: plain })).code, 0);
  t.notOk(existsSync(join(plain, 'book/_readme')), 'nothing is created beside a runbook that does not ask for it');
});

t.test('versions come from the run facts, and only string facts count', async (t) => {
  const dir = runbookDir(t, { readme: true });
  const runbook = loadRunbook(join(dir, 'book'));
  const result: RunResult = {
    status: 'passed',
    target: runbook.settings.targets[0],
    startedAt: '2026-10-02T14:05:09.123Z',
    durationMs: 1,
    steps: [],
    facts: { kubernetesVersion: 'v1.35.8', istioVersion: '1.31.1', nodes: 3 },
    notes: [],
  };
  t.ok(recordCapture(runbook, result, { partial: false }));
  t.match(readCaptureRecord(runbook), { capturedAt: '2026-10-02T14:05:09.123Z', target: 'local', kubernetesVersion: 'v1.35.8', istioVersion: '1.31.1', scope: 'full' });
  t.match(provenanceText(readCaptureRecord(runbook)), /Outputs last captured 2026-10-02 14:05:09 UTC on the local target \(Kubernetes v1\.35\.8, Istio 1\.31\.1\)/);

  recordCapture(runbook, { ...result, facts: { kubernetesVersion: 42 }, target: undefined }, { partial: true });
  const text = provenanceText(readCaptureRecord(runbook));
  t.match(text, /captured 2026-10-02 14:05:09 UTC by runbook [\d.]+ \(`\+runbook run --write\+`\)\./, 'no versions the run did not record');
  t.match(text, /That run covered only part of the runbook/);
  t.notOk(recordCapture(runbook, { ...result, status: 'failed' }, { partial: false }), 'a failed run records nothing');
  t.match(provenanceText(undefined), /No run has captured the outputs in this document yet/);
});
