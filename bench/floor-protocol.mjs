// The floor a per-step engine can reach: one persistent bash, each step written to its stdin with
// the smallest reply protocol (a marker line with the exit code), output to /dev/null. Usage:
//   node bench/floor-protocol.mjs STEPS        (bench/session.ts runs floorSteps in process)
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export async function floorSteps(steps) {
  const bash = spawn('bash', ['--norc', '--noprofile'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = '';
  let waiting;
  bash.stdout.on('data', (d) => {
    buffer += d;
    const at = buffer.indexOf('\n');
    if (at !== -1 && waiting) {
      buffer = buffer.slice(at + 1);
      const done = waiting;
      waiting = undefined;
      done();
    }
  });
  for (let i = 0; i < steps; i++) {
    await new Promise((resolve) => {
      waiting = resolve;
      bash.stdin.write(`echo step ${i} >/dev/null; echo "E $?"\n`);
    });
  }
  bash.stdin.end();
  await new Promise((resolve) => bash.on('close', resolve));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await floorSteps(Number(process.argv[2] ?? 1000));
