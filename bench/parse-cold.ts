// The reader's cost in a fresh process (cold JIT, modules already loaded), beside a CommonMark
// fence line scanner over the same text: the lower bound of finding steps. Prints one JSON line.
//   node --import tsx bench/parse-cold.ts reader|scanner FILE
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadRunbook } from '../engine/read/index.ts';

const [mode, file] = process.argv.slice(2);

/** Counts fenced blocks the way CommonMark opens and closes them (no containers). */
function scanFences(text: string): number {
  let fences = 0;
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      if (m && m[1][0] === open[0] && m[1].length >= open.length && /^\s*[`~]+\s*$/.test(line)) open = null;
    } else if (m) {
      open = m[1];
      fences++;
    }
  }
  return fences;
}

const cpu = process.cpuUsage();
const t = performance.now();
const count = mode === 'scanner' ? scanFences(readFileSync(file, 'utf8')) : loadRunbook(file).steps.length;
const wallMs = performance.now() - t;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000, count }) + '\n');
