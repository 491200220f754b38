// Screenshot cost in one real run: a runbook of 10 screenshot steps against a local page, then 3
// that sign in first, run by `runbook run` and timed by the run's own JSON report. The first step
// pays for starting Chromium; the rest reuse it (aim: ≤ 0.5 s each, drift check included).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebServer } from '../test/support/web/server.ts';
import { runCli } from '../test/support/web/run-cli.ts';
import type { Measurement } from './measurement.ts';

const CAPTURES = 10;
const SIGNED_IN = 3;

export async function benchScreenshots(): Promise<Measurement[]> {
  const web = await startWebServer();
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-shots-'));
  try {
    const steps = [
      ...Array.from({ length: CAPTURES }, (_, i) => `<!-- runbook: screenshot id=shot-${i + 1} url=${web.url('/productpage')} file=images/page.png -->`),
      ...Array.from({ length: SIGNED_IN }, (_, i) => `<!-- runbook: screenshot id=login-${i + 1} url=${web.url('/productpage')} file=images/jason.png login=jason -->`),
    ];
    writeFileSync(join(dir, 'bench.md'), `# Screenshot bench\n\n${steps.join('\n\n')}\n`);
    const run = await runCli(['run', 'bench.md', '--report', 'r.json'], dir).done;
    if (run.code !== 0) throw new Error(`screenshot bench run failed (exit ${run.code}):\n${run.output}`);
    const durations: number[] = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).steps.map((s: { durationMs: number }) => s.durationMs);
    const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [first, ...rest] = durations.slice(0, CAPTURES);
    const mean = average(rest);
    const signedIn = average(durations.slice(CAPTURES + 1)); // the first signed-in one creates its file
    return [
      { name: 'screenshot: first capture (starts Chromium)', value: first, unit: 'ms' },
      { name: `screenshot: mean of captures 2-${CAPTURES} (browser reused)`, value: Math.round(mean), unit: 'ms', limit: 500, better: 'lower' },
      { name: 'screenshot: mean capture with login= (form sign-in first)', value: Math.round(signedIn), unit: 'ms' },
      { name: 'screenshot: first capture / later capture', value: +(first / mean).toFixed(2), unit: 'x' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await web.close();
  }
}

// Run on its own: node --import tsx bench/screenshots.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchScreenshots()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
