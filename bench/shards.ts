// Sharding: the wall time of 3 shards run at once (each its own process, as on 3 machines)
// against one serial run of the same fixture, measured in this run. The fixture is shaped like
// the tutorial: a setup chapter every other chapter needs, then chapters of steps that mostly
// wait (as kubectl wait and curl loops do). Needs 3 free cores; with fewer it says so and skips.
// One directory per run, as one checkout per machine (a run keeps its state beside the runbook).
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './measurement.ts';

const BIN = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const CHAPTERS = 12;
const STEPS = 3;
const STEP_SECONDS = 0.5;

function writeFixture(dir: string): void {
  writeFileSync(join(dir, 'runbook.yaml'), 'title: Shard bench\n');
  writeFileSync(join(dir, '00-setup.md'), '# Setup\n\n```bash run id=setup\nsleep 0.5; echo ready\n```\n');
  for (let c = 1; c <= CHAPTERS; c++) {
    const name = String(c).padStart(2, '0');
    const steps = Array.from({ length: STEPS }, (_, s) => `\`\`\`bash run id=c${name}-s${s}\nsleep ${STEP_SECONDS}; echo done ${c}.${s}\n\`\`\`\n`).join('\n');
    writeFileSync(join(dir, `${name}-chapter.md`), `---\nneeds: [00-setup]\n---\n# Chapter ${c}\n\n${steps}`);
  }
}

function run(args: string[], cwd: string): Promise<{ code: number | null; ms: number; out: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, out }));
  });
}

export async function benchShards(): Promise<Measurement[]> {
  const free = availableParallelism() - loadavg()[0];
  // RUNBOOK_BENCH_SHARDS=force measures anyway (the ratio then says more about the machine).
  if (free < 3 && process.env.RUNBOOK_BENCH_SHARDS !== 'force') {
    process.stdout.write(`  skipped: 3 shards need 3 free cores; this machine has ${availableParallelism()} with a load of ${loadavg()[0].toFixed(1)} (${free.toFixed(1)} free)\n`);
    return [];
  }
  const root = mkdtempSync(join(tmpdir(), 'runbook-bench-shards-'));
  try {
    const dirs = ['serial', 's1', 's2', 's3'].map((name) => join(root, name));
    for (const dir of dirs) {
      mkdirSync(dir);
      writeFixture(dir);
    }
    const serial = await run(['run', '.'], dirs[0]);
    const started = performance.now();
    const shards = await Promise.all([1, 2, 3].map((i) => run(['run', '.', '--shard', `${i}/3`], dirs[i])));
    const shardWall = performance.now() - started;
    for (const r of [serial, ...shards]) if (r.code !== 0) throw new Error(`a run failed:\n${r.out}`);
    return [
      { name: 'serial run (1 setup + 12 chapters of waiting steps)', value: serial.ms, unit: 'ms' },
      { name: '3 shards at once, wall time', value: shardWall, unit: 'ms' },
      { name: '3 shards / serial wall time', value: shardWall / serial.ms, unit: '×', limit: 0.45, better: 'lower' },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
