// The goals users feel, measured on the shipped command (bin/runbook.js → dist/) as whole
// processes, cold, each against the comparison the goal names (issue "Fast and steady").
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case } from './harness.ts';
import { reportedBy, wholeProcess } from './harness.ts';
import { generateProse, generateRunbook } from './generate.ts';
import { scratchRoot } from '../engine/execute/session-files.ts';
import { shellQuote } from '../engine/execute/shell-scripts.ts';

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(PROJECT, 'bin', 'runbook.js');
const env = { ...process.env, NO_COLOR: '1', CI: '1' };
const runbook = (args: string[], cwd: string, okCodes = [0]) => wholeProcess(process.execPath, [BIN, ...args], { cwd, env, okCodes });
const nodeNothing = { label: 'node -e 0', run: wholeProcess(process.execPath, ['-e', '0']) };
/** A run of `runbook check` with its cache (.runbook/cache beside the runbook) removed first: cold. */
const cold = (cacheOf: string, run: ReturnType<typeof runbook>) => async () => {
  rmSync(join(cacheOf, '.runbook', 'cache'), { recursive: true, force: true });
  return run();
};

/** A scratch directory holding the given files, removed after the case. */
function scratch(files: Record<string, () => string>) {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  return {
    dir,
    setup: () => {
      mkdirSync(dir, { recursive: true }); // a case before may have shared and removed it
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text());
    },
    teardown: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function cliCases(): Case[] {
  const one = scratch({ 'one.md': () => '# One\n\n```bash run id=hello\necho hello\n```\n' });
  const thousand = scratch({ 'steps.md': () => generateRunbook(1000) });
  const big = scratch({ 'big.md': () => generateRunbook(10_000) });
  const huge = scratch({ 'huge.md': () => generateRunbook(50_000) });
  const prose = scratch({ 'prose.md': () => generateProse(10) });
  const loud = scratch({ 'loud.md': () => '# Loud\n\n```bash run id=loud\nhead -c 52428800 /dev/zero | tr "\\0" "x" | fold -w 100\n```\n' });
  const joined = <T extends { setup: () => void; teardown: () => void }>(s: T) => ({ setup: s.setup, teardown: s.teardown });

  return [
    { name: 'runbook --help', a: { label: 'runbook --help', run: runbook(['--help'], PROJECT) }, b: nodeNothing, goals: [{ kind: 'ratio', value: 1.5 }], pairs: 9 },
    {
      name: 'runbook run of a 1-step runbook',
      a: { label: 'runbook run one.md', run: runbook(['run', 'one.md'], one.dir) },
      b: nodeNothing,
      goals: [{ kind: 'wall', value: 400 }],
      pairs: 7,
      ...joined(one),
    },
    {
      name: '1,000 trivial steps, whole process, vs a bash -c per step',
      a: { label: 'runbook run (1,000 steps)', run: runbook(['run', 'steps.md'], thousand.dir) },
      b: { label: 'bash loop, bash -c per step', run: wholeProcess('bash', ['-c', 'for i in $(seq 0 999); do bash -c "echo step $i" >/dev/null; done']) },
      goals: [{ kind: 'ratio', value: 4, better: 'higher' }],
      ...joined(thousand),
    },
    {
      name: '1,000 trivial steps, whole process, vs the smallest persistent-bash protocol',
      a: { label: 'runbook run (1,000 steps)', run: runbook(['run', 'steps.md'], thousand.dir) },
      b: { label: 'node + one bash, marker protocol', run: wholeProcess(process.execPath, [join(PROJECT, 'bench', 'floor-protocol.mjs'), '1000']) },
      goals: [{ kind: 'perItem', value: 0.5, items: 1000, unit: 'steps' }],
      ...joined(thousand),
    },
    {
      // How the cost of a run splits, for the record: A − B is what the session and bash take for
      // 1,000 steps; B is the rest (reading, planning, judging, results, progress, start and end).
      name: '1,000 trivial steps in process: the run as it is vs with the session answering at once (for the record)',
      a: { label: 'runbook run, real session', run: () => reportedBy(process.execPath, ['--import', 'tsx', join(PROJECT, 'bench', 'run-layers.ts'), 'real', join(thousand.dir, 'steps.md')], { cwd: PROJECT, env })() },
      b: { label: 'runbook run, session answers at once', run: () => reportedBy(process.execPath, ['--import', 'tsx', join(PROJECT, 'bench', 'run-layers.ts'), 'instant', join(thousand.dir, 'steps.md')], { cwd: PROJECT, env })() },
      goals: [],
      ...joined(thousand),
    },
    {
      name: 'parse a 10,000-step runbook in a fresh process (loadRunbook only)',
      a: { label: 'loadRunbook', run: reportedBy(process.execPath, ['--import', 'tsx', join(PROJECT, 'bench', 'parse-cold.ts'), 'reader', join(big.dir, 'big.md')]) },
      b: { label: 'CommonMark fence line scanner', run: reportedBy(process.execPath, ['--import', 'tsx', join(PROJECT, 'bench', 'parse-cold.ts'), 'scanner', join(big.dir, 'big.md')]) },
      goals: [{ kind: 'wall', value: 300 }],
      ...joined(big),
    },
    { name: 'runbook list of a 10,000-step runbook', a: { label: 'runbook list big.md', run: runbook(['list', 'big.md'], big.dir) }, b: nodeNothing, goals: [{ kind: 'wall', value: 600 }], ...joined(big) },
    {
      name: 'runbook check runbook/ (the tutorial), cold: no cached shellcheck or type check results',
      a: { label: 'runbook check runbook/ (cache removed)', run: cold(join(PROJECT, 'runbook'), runbook(['check', 'runbook/'], PROJECT)) },
      b: nodeNothing,
      goals: [{ kind: 'wall', value: 2000 }],
    },
    {
      name: 'runbook check runbook/ (the tutorial), warm: after an edit of prose only',
      a: { label: 'runbook check runbook/ (cache kept)', run: runbook(['check', 'runbook/'], PROJECT) },
      b: nodeNothing,
      goals: [{ kind: 'wall', value: 2000 }],
    },
    {
      name: 'runbook check of a 50,000-step runbook, cold',
      a: { label: 'runbook check huge.md (cache removed)', run: cold(huge.dir, runbook(['check', 'huge.md'], huge.dir)) },
      b: nodeNothing,
      goals: [{ kind: 'wall', value: 20_000 }, { kind: 'rss', value: 300 }],
      pairs: 3,
      ...joined(huge),
    },
    {
      name: 'runbook render (AsciiDoc + HTML) of 10,000 steps',
      a: { label: 'runbook render big.md', run: runbook(['render', 'big.md', '--adoc', 'out.adoc', '--html', 'site'], big.dir) },
      b: nodeNothing,
      goals: [{ kind: 'wall', value: 4000 }],
      ...joined(big),
    },
    { name: 'runbook list of a 10 MB prose-heavy document', a: { label: 'runbook list prose.md', run: runbook(['list', 'prose.md'], prose.dir) }, b: nodeNothing, goals: [{ kind: 'wall', value: 1500 }], pairs: 3, ...joined(prose) },
    {
      name: 'runbook render of a 10 MB prose-heavy document',
      a: { label: 'runbook render prose.md', run: runbook(['render', 'prose.md', '--adoc', 'out.adoc', '--html', 'site'], prose.dir) },
      b: nodeNothing,
      goals: [{ kind: 'wall', value: 8000 }],
      pairs: 3,
      ...joined(prose),
    },
    {
      // Its floor: asciidoctor.js alone turning the document's AsciiDoc into HTML, which the
      // render does after reading the Markdown and writing that AsciiDoc.
      name: 'runbook render of a 10 MB prose-heavy document, against asciidoctor.js alone converting its AsciiDoc (for the record)',
      a: { label: 'runbook render prose.md', run: runbook(['render', 'prose.md', '--adoc', 'out.adoc', '--html', 'site'], prose.dir) },
      b: { label: 'asciidoctor.js alone, out.adoc → HTML', run: wholeProcess(process.execPath, [join(PROJECT, 'bench', 'asciidoctor-alone.mjs'), join(prose.dir, 'out.adoc')]) },
      goals: [],
      pairs: 3,
      setup: () => {
        prose.setup();
        execFileSync(process.execPath, [BIN, 'render', 'prose.md', '--adoc', 'out.adoc'], { cwd: prose.dir, env, stdio: 'ignore' });
      },
      teardown: prose.teardown,
    },
    {
      name: 'one step printing 50 MB',
      a: { label: 'runbook run loud.md', run: runbook(['run', 'loud.md'], loud.dir) },
      b: { label: 'bash -c … >/dev/null', run: wholeProcess('bash', ['-c', 'head -c 52428800 /dev/zero | tr "\\0" "x" | fold -w 100 >/dev/null']) },
      goals: [{ kind: 'ratio', value: 2 }],
      ...joined(loud),
    },
    {
      // What keeping the output costs bash alone: the same pipeline into a file where the engine
      // keeps its captures. The goal above is against /dev/null, which no capture can match.
      name: 'one step printing 50 MB, against bash writing it to a file in the scratch root (for the record)',
      a: { label: 'runbook run loud.md', run: runbook(['run', 'loud.md'], loud.dir) },
      b: {
        label: `bash -c … >${scratchRoot()}/…`,
        run: wholeProcess('bash', ['-c', `f=$(mktemp -p ${shellQuote(scratchRoot())}); head -c 52428800 /dev/zero | tr "\\0" "x" | fold -w 100 >"$f"; rm -f "$f"`]),
      },
      goals: [],
      ...joined(loud),
    },
    {
      name: 'run of 50,000 steps, peak memory',
      a: { label: 'runbook run huge.md', run: runbook(['run', 'huge.md'], huge.dir) },
      b: nodeNothing,
      goals: [{ kind: 'rss', value: 150 }],
      pairs: 1,
      ...joined(huge),
    },
  ];
}
