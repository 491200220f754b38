// `npm run bench`: every benchmark once, in one process, printing values and ratios measured in
// this run against their targets. Exits 1 when a target is missed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { benchEngineOverhead } from './engine-overhead.ts';
import { benchParse } from './parse.ts';
import type { Measurement } from './measurement.ts';

type Bench = () => Promise<Measurement[]>;
const here = dirname(fileURLToPath(import.meta.url));

/** Benchmarks that live with their features, loaded when present. */
const OPTIONAL: [string, string][] = [
  ['render.ts', 'benchRender'],
  ['wait.ts', 'benchWait'],
  ['screenshots.ts', 'benchScreenshots'],
];

async function benches(): Promise<[string, Bench][]> {
  const list: [string, Bench][] = [
    ['engine overhead', () => benchEngineOverhead()],
    ['parse', () => benchParse()],
  ];
  for (const [file, name] of OPTIONAL) {
    if (!existsSync(join(here, file))) continue;
    // Imported only when its turn comes: asciidoctor and the browser driver are large, and a
    // heap full of them would slow the engine benchmarks' garbage collection.
    list.push([file.replace(/\.ts$/, ''), async () => ((await import(`./${file}`)) as Record<string, Bench>)[name]()]);
  }
  return list;
}

function format(m: Measurement): string {
  const value = m.unit === 'ms' ? `${m.value.toFixed(m.value < 10 ? 3 : 1)} ms` : `${m.value.toFixed(2)} ${m.unit}`;
  let verdict = '';
  if (m.limit !== undefined) {
    const ok = m.better === 'higher' ? m.value >= m.limit : m.value <= m.limit;
    verdict = `  ${ok ? 'ok  ' : 'MISS'} (target ${m.better === 'higher' ? '≥' : '≤'} ${m.limit} ${m.unit})`;
  }
  return `  ${m.name.padEnd(52)} ${value.padStart(14)}${verdict}`;
}

let missed = 0;
for (const [name, bench] of await benches()) {
  process.stdout.write(`${name}\n`);
  try {
    for (const m of await bench()) {
      process.stdout.write(format(m) + '\n');
      if (m.limit !== undefined && !(m.better === 'higher' ? m.value >= m.limit : m.value <= m.limit)) missed++;
    }
  } catch (e) {
    missed++;
    process.stdout.write(`  FAILED: ${(e as Error).message}\n`);
  }
}
process.stdout.write(missed ? `${missed} target(s) missed\n` : 'all targets met\n');
process.exitCode = missed ? 1 : 0;
