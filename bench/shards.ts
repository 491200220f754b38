// Sharding: three shards run at once (each its own process and checkout, as on three machines)
// against one serial run of the same fixture, as alternated pairs (bench/harness.ts). The fixture
// is shaped like the tutorial: a setup chapter every other chapter needs, then chapters of steps
// that mostly wait (as kubectl wait and curl loops do). Goal: the shards' wall time at most
// 0.45× the serial one. It needs 3 free cores; with fewer it says so and measures nothing
// (RUNBOOK_BENCH_SHARDS=force measures anyway; the ratio then says more about the machine).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { wholeProcess, type Case, type Runner } from './harness.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'runbook.js');
const CHAPTERS = 12;
const STEPS = 3;
const env = { ...process.env, NO_COLOR: '1', CI: '1' };

function writeFixture(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'runbook.yaml'), 'title: Shard bench\n');
  writeFileSync(join(dir, '00-setup.md'), '# Setup\n\n```bash run id=setup\nsleep 0.3; echo ready\n```\n');
  for (let c = 1; c <= CHAPTERS; c++) {
    const name = String(c).padStart(2, '0');
    const steps = Array.from({ length: STEPS }, (_, s) => `\`\`\`bash run id=c${name}-s${s}\nsleep 0.5; echo done ${c}.${s}\n\`\`\`\n`).join('\n');
    writeFileSync(join(dir, `${name}-chapter.md`), `---\nneeds: [00-setup]\n---\n# Chapter ${c}\n\n${steps}`);
  }
}

/** All shards started together; the sample is the wall time until the last one ends. */
function allAtOnce(runners: Runner[]): Runner {
  return async () => {
    const started = performance.now();
    const samples = await Promise.all(runners.map((run) => run()));
    return { wallMs: performance.now() - started, cpuMs: samples.reduce((sum, s) => sum + s.cpuMs, 0), maxRssMb: Math.max(...samples.map((s) => s.maxRssMb ?? 0)) };
  };
}

export function shardCases(): Case[] {
  const free = availableParallelism() - loadavg()[0];
  if (free < 3 && process.env.RUNBOOK_BENCH_SHARDS !== 'force') {
    process.stdout.write(`  shards: skipped: 3 shards at once need 3 free cores; this machine has ${availableParallelism()} with a load of ${loadavg()[0].toFixed(1)}\n`);
    return [];
  }
  const root = mkdtempSync(join(tmpdir(), 'runbook-bench-shards-'));
  const dirs = ['serial', 'shard-1', 'shard-2', 'shard-3'].map((name) => join(root, name));
  const run = (dir: string, args: string[]) => wholeProcess(process.execPath, [BIN, 'run', '.', ...args], { cwd: dir, env });
  return [
    {
      name: `3 shards at once vs one serial run (1 setup + ${CHAPTERS} chapters of waiting steps)`,
      a: { label: 'runbook run --shard I/3, I = 1, 2, 3 at once', run: allAtOnce([1, 2, 3].map((i) => run(dirs[i], ['--shard', `${i}/3`]))) },
      b: { label: 'runbook run (serial)', run: run(dirs[0], []) },
      goals: [{ kind: 'ratio', value: 0.45 }],
      pairs: 3,
      setup: () => dirs.forEach(writeFixture),
      teardown: () => rmSync(root, { recursive: true, force: true }),
    },
  ];
}
