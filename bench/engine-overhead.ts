// Engine overhead per step: 1,000 trivial steps run by the engine, compared with the same
// commands in one plain bash script and with one bash spawned per step.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { makePlan } from '../engine/plan.ts';
import { executePlan } from '../engine/execute/runner.ts';
import type { Reporter } from '../engine/progress/reporter.ts';
import { writeGenerated } from './generate.ts';
import type { Measurement } from './measurement.ts';

const silent: Reporter = { runStart() {}, stepStart() {}, stepStatus() {}, stepEnd() {}, runEnd() {}, note() {} };

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

export async function benchEngineOverhead(steps = 1000): Promise<Measurement[]> {
  const { dir, file } = writeGenerated(steps);
  try {
    const commands = Array.from({ length: steps }, (_, i) => `echo step ${i}`);
    const script = join(dir, 'plain.sh');
    writeFileSync(script, commands.join('\n') + '\n');

    let t = performance.now();
    await run('bash', [script], dir);
    const plainMs = performance.now() - t;

    t = performance.now();
    for (const c of commands) await run('bash', ['-c', c], dir);
    const perStepShellMs = performance.now() - t;

    const runbook = loadRunbook(file);
    const plan = makePlan(runbook, {});
    t = performance.now();
    const result = await executePlan(runbook, plan, { workdir: dir, sets: {}, keepGoing: false, reporter: silent, signal: new AbortController().signal });
    const engineMs = performance.now() - t;
    if (result.status !== 'passed') throw new Error(`benchmark runbook failed: ${result.steps.find((s) => s.status !== 'passed')?.message}`);

    const overhead = (engineMs - plainMs) / steps;
    return [
      { name: `plain bash, ${steps} steps in one script`, value: plainMs, unit: 'ms' },
      { name: `one bash spawned per step`, value: perStepShellMs, unit: 'ms' },
      { name: `engine, ${steps} steps in one session`, value: engineMs, unit: 'ms' },
      { name: 'engine overhead per step (vs plain bash)', value: overhead, unit: 'ms', limit: 1, better: 'lower' },
      { name: 'speed-up over shell-per-step', value: perStepShellMs / engineMs, unit: '×', limit: 3, better: 'higher' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
