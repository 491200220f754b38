// The whole test suite as a user runs it (`npm test`, coverage included), once, against the
// goal of three minutes on this 2-core machine. It runs last: tap's `before` rebuilds dist/,
// which no other case may see half-written. `npm run bench -- suite` runs it alone.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wholeProcess, type Case } from './harness.ts';

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..');
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete env.CI; // the bench is not CI; tap's reporter choice is not what is measured

export function suiteCases(): Case[] {
  return [
    {
      name: 'full npm test (suite, coverage included)',
      a: { label: 'npm test', run: wholeProcess('npm', ['test'], { cwd: PROJECT, env }) },
      b: { label: 'node -e 0', run: wholeProcess(process.execPath, ['-e', '0']) },
      goals: [{ kind: 'wall', value: 180_000 }],
      pairs: 1,
    },
  ];
}
