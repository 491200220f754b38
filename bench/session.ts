// The executor's own costs, in this process (no start-up, no parsing): a step through the
// session against the smallest persistent-bash protocol, closing a session that left nothing
// running, redacting a large output, and deciding and diffing a 20,000-line mismatch.
import type { Case, Runner } from './harness.ts';
import { inProcess } from './harness.ts';
import { Session } from '../engine/execute/session.ts';
import { makeRedactor } from '../engine/write/redact.ts';
import { matchers } from '../engine/match/index.ts';
// @ts-expect-error a plain .mjs script without types
import { floorSteps } from './floor-protocol.mjs';

const STEPS = 1000;

async function sessionSteps(steps: number): Promise<void> {
  const s = new Session({ env: process.env, cwd: process.cwd() });
  await s.ready();
  for (let i = 0; i < steps; i++) {
    const r = await s.run({ script: `echo step ${i}`, timeoutMs: 10_000 });
    if (r.exitCode !== 0) throw new Error(`step ${i} exited ${r.exitCode}`);
  }
  await s.close();
}

const nothing: Runner = inProcess(() => undefined);

export function sessionCases(): Case[] {
  const line = 'token password secret https://a.b bearer AKIA eyJ LS0tLS1CRUdJTi a.b.c key=short 10.0.0.1 reviews-v1-7d4f8b6c9-x2x9k\n';
  const output = line.repeat(Math.ceil((8 * 1024 * 1024) / line.length));
  const redact = makeRedactor(['acct-[0-9]{12}'], ['a-literal-secret-value']);
  const expected = Array.from({ length: 20_000 }, (_, i) => `pod-${i} 1/1 Running 0 5m`).join('\n');
  const actual = Array.from({ length: 20_000 }, (_, i) => `svc-${i} 2/2 Pending 1 3h`).join('\n');
  return [
    {
      name: `session: ${STEPS.toLocaleString('en')} steps in process vs the smallest persistent-bash protocol`,
      a: { label: 'Session.run per step (start and close included)', run: inProcess(() => sessionSteps(STEPS)) },
      b: { label: 'one bash, a marker line per step', run: inProcess(() => floorSteps(STEPS) as Promise<void>) },
      goals: [{ kind: 'perItem', value: 0.5, items: STEPS, unit: 'steps' }],
    },
    {
      name: 'session: start, one step, close (nothing left running)',
      a: { label: 'new Session, ready, one step, close', run: inProcess(() => sessionSteps(1)) },
      b: { label: 'nothing', run: nothing },
      goals: [{ kind: 'wall', value: 100 }],
      pairs: 9,
    },
    {
      name: 'redaction of an 8 MB output full of near misses',
      a: { label: 'redact 8 MB', run: inProcess(() => redact(output)) },
      b: { label: 'nothing', run: nothing },
      goals: [{ kind: 'wall', value: 150 }],
    },
    {
      name: 'a 20,000-line mismatch, decided and diffed (like)',
      a: { label: 'like(expected, actual)', run: inProcess(() => matchers.like(expected, actual)) },
      b: { label: 'nothing', run: nothing },
      goals: [{ kind: 'wall', value: 1000 }],
    },
  ];
}
