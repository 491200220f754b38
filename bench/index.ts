// `npm run bench [-- FILTER]`: every benchmark in one process, each goal measured as alternated
// A/B pairs in this run (bench/harness.ts), printing medians, CPU beside wall, and each figure
// against its goal. Exits 1 when a goal is missed; a missed goal is printed, never relaxed.
// FILTER runs only the cases whose name contains it (e.g. `npm run bench -- render`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { formatResult, measure, type Case } from './harness.ts';
import type { Measurement } from './measurement.ts';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2]?.toLowerCase();

if (!existsSync(join(here, '..', 'dist', 'cli.js'))) {
  process.stderr.write('bench: the command is not built; run `npm run build` first\n');
  process.exit(2);
}

/** Case lists that live with their features, loaded when present. */
const CASES: [string, string][] = [
  ['cli-cases.ts', 'cliCases'],
  ['shards.ts', 'shardCases'],
  ['schemas.ts', 'schemaCases'],
  ['session.ts', 'sessionCases'],
  ['kube-checks.ts', 'kubeCheckCases'],
  ['reader-cases.ts', 'readerCases'],
  ['suite.ts', 'suiteCases'], // last: it rebuilds dist/
];
/** Older single-sided measurements (medians of several runs inside the benchmark). */
const MEASUREMENTS: [string, string][] = [
  ['wait.ts', 'benchWait'],
  ['screenshots.ts', 'benchScreenshots'],
];

function formatMeasurement(m: Measurement): { text: string; ok: boolean } {
  const value = m.unit === 'ms' ? `${m.value.toFixed(m.value < 10 ? 3 : 1)} ms` : `${m.value.toFixed(2)} ${m.unit}`;
  const ok = m.limit === undefined || (m.better === 'higher' ? m.value >= m.limit : m.value <= m.limit);
  const verdict = m.limit === undefined ? '' : `  ${ok ? 'ok  ' : 'MISS'} (goal ${m.better === 'higher' ? '≥' : '≤'} ${m.limit} ${m.unit})`;
  return { ok, text: `  ${m.name.padEnd(58)} ${value.padStart(12)}${verdict}` };
}

let missed = 0;
let measured = 0;
for (const [file, name] of CASES) {
  if (!existsSync(join(here, file))) continue;
  // Imported when its turn comes: heavy modules in the heap would slow the next benchmark.
  const cases = ((await import(`./${file}`)) as Record<string, () => Case[] | Promise<Case[]>>)[name];
  for (const c of await cases()) {
    if (filter && !c.name.toLowerCase().includes(filter)) continue;
    measured++;
    try {
      const result = await measure(c);
      process.stdout.write(formatResult(result) + '\n');
      missed += result.verdicts.filter((v) => !v.ok).length;
    } catch (e) {
      missed++;
      process.stdout.write(`  ${c.name}\n    FAILED: ${(e as Error).message}\n`);
    }
  }
}
for (const [file, name] of MEASUREMENTS) {
  if (!existsSync(join(here, file)) || (filter && !file.includes(filter))) continue;
  measured++;
  process.stdout.write(`  ${file.replace(/\.ts$/, '')}\n`);
  try {
    const bench = ((await import(`./${file}`)) as Record<string, () => Promise<Measurement[]>>)[name];
    for (const m of await bench()) {
      const { text, ok } = formatMeasurement(m);
      process.stdout.write(text + '\n');
      if (!ok) missed++;
    }
  } catch (e) {
    missed++;
    process.stdout.write(`    FAILED: ${(e as Error).message}\n`);
  }
}
if (measured === 0) process.stdout.write(`no benchmark matches "${filter}"\n`);
process.stdout.write(missed ? `${missed} goal(s) missed\n` : 'all goals met\n');
process.exitCode = missed || measured === 0 ? 1 : 0;
