// `npm run test:repeat -- N`: the whole test suite N times in a row (default 5), stopping at the
// first failing run, so a test that fails one run in five shows up before CI does. Arguments
// after N go to tap (e.g. a test file).
import { spawnSync } from 'node:child_process';

const [countArg, ...tapArgs] = process.argv.slice(2);
const count = countArg === undefined ? 5 : Number(countArg);
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write(`test:repeat: expected a number of runs, got "${countArg}"\n  Example: npm run test:repeat -- 5\n`);
  process.exit(2);
}
const started = Date.now();
for (let i = 1; i <= count; i++) {
  const t = Date.now();
  process.stdout.write(`test:repeat: run ${i} of ${count}\n`);
  const run = spawnSync('npx', ['--no-install', 'tap', ...tapArgs], { stdio: 'inherit' });
  const seconds = ((Date.now() - t) / 1000).toFixed(0);
  if (run.status !== 0) {
    process.stdout.write(`test:repeat: run ${i} of ${count} FAILED (exit ${run.status ?? run.signal}) after ${seconds} s\n`);
    process.exit(1);
  }
  process.stdout.write(`test:repeat: run ${i} of ${count} passed in ${seconds} s\n`);
}
process.stdout.write(`test:repeat: ${count} of ${count} runs passed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
