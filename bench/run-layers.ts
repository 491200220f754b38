// The engine's own work per step, apart from the shell: `runbook run` in a fresh process, either
// as it is or with every Session.run answered at once (the step's `echo` text as its output), so
// that what is left is reading, planning, judging, results and progress. Measuring only: the
// patched session runs nothing. Prints one JSON line (the run's own output goes first).
//   node --import tsx bench/run-layers.ts real|instant FILE
import { performance } from 'node:perf_hooks';
import { Session, type StepRequest, type StepOutcome } from '../engine/execute/session.ts';
import { main } from '../engine/cli.ts';

const [mode, file] = process.argv.slice(2);
if (mode === 'instant') {
  Session.prototype.run = async function (request: StepRequest): Promise<StepOutcome> {
    const echoed = /^echo (.*)$/m.exec(request.script);
    return { exitCode: 0, output: echoed ? `${echoed[1]}\n` : '', stderr: '', timedOut: false, interrupted: false, durationMs: 0 };
  };
}
const cpu = process.cpuUsage();
const t = performance.now();
const code = await main(['run', file]);
const wallMs = performance.now() - t;
const used = process.cpuUsage(cpu);
if (code !== 0) process.exit(code);
process.stdout.write(`\n${JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 })}\n`);
