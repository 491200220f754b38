// Parse time of a generated 10,000-step runbook.
import { rmSync } from 'node:fs';
import { loadRunbook } from '../engine/read/index.ts';
import { writeGenerated } from './generate.ts';
import type { Measurement } from './measurement.ts';

export async function benchParse(steps = 10_000): Promise<Measurement[]> {
  const { dir, file } = writeGenerated(steps);
  try {
    loadRunbook(file); // warm up the parser (module loading, JIT)
    const times: number[] = [];
    let runbook = loadRunbook(file);
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      runbook = loadRunbook(file);
      times.push(performance.now() - t);
    }
    const ms = times.sort((a, b) => a - b)[1]; // median of three
    if (runbook.steps.length !== steps) throw new Error(`parsed ${runbook.steps.length} steps, expected ${steps}`);
    return [{ name: `parse a ${steps}-step runbook (median of 3)`, value: ms, unit: 'ms', limit: 1000, better: 'lower' }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
