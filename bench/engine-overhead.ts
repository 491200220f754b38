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

    // Each side is measured three times in this run and the median taken: this VM's timings
    // wobble by a third from one run to the next.
    const median = async (fn: () => Promise<unknown>, times = 3) => {
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const t = performance.now();
        await fn();
        ms.push(performance.now() - t);
      }
      return ms.sort((a, b) => a - b)[Math.floor(times / 2)];
    };
    const plainMs = await median(() => run('bash', [script], dir));
    const perStepShellMs = await median(async () => {
      for (const c of commands) await run('bash', ['-c', c], dir);
    });
    const runbook = loadRunbook(file);
    const plan = makePlan(runbook, {});
    let failure: string | undefined;
    const engineMs = await median(async () => {
      const result = await executePlan(runbook, plan, { workdir: dir, sets: {}, keepGoing: false, reporter: silent, signal: new AbortController().signal });
      if (result.status !== 'passed') failure = result.steps.find((s) => s.status !== 'passed')?.message;
    });
    if (failure) throw new Error(`benchmark runbook failed: ${failure}`);

    const overhead = (engineMs - plainMs) / steps;
    return [
      { name: `plain bash, ${steps} steps in one script (median of 3)`, value: plainMs, unit: 'ms' },
      { name: `one bash spawned per step (median of 3)`, value: perStepShellMs, unit: 'ms' },
      { name: `engine, ${steps} steps in one session (median of 3)`, value: engineMs, unit: 'ms' },
      { name: 'engine overhead per step (vs plain bash)', value: overhead, unit: 'ms', limit: 1, better: 'lower' },
      { name: 'speed-up over shell-per-step', value: perStepShellMs / engineMs, unit: '×', limit: 3, better: 'higher' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
