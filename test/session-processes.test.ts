// No process of a run outlives it — daemons that detach and clear their environment included —
// and processes a step leaves in the background live until the run ends, whatever later steps
// do. Real processes throughout; each test polls for the state it waits for.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from '../engine/execute/session.ts';
import { tempDir } from './support/tmp.ts';

/**
 * Pids of live processes whose command line starts with `text`: the program itself, not a
 * wrapper (`setsid …`, `env -i …`, `bash -c "exec …"`) still on its way to exec it — a wrapper
 * still has the run's environment.
 */
function pidsRunning(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0/g, ' ').startsWith(text)) found.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return found;
}

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hasMarker = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').includes('RUNBOOK_RUN=');
  } catch {
    return false;
  }
};

t.test('daemons that detach and clear their environment live until the run ends, then die', async (t) => {
  const s = new Session({ env: process.env, cwd: tempDir(t) });
  t.teardown(() => s.close());
  await s.ready();
  t.equal(s.containmentWarning, undefined, 'this machine can hold every process of a run');
  const r = await s.run({
    script: [
      'setsid -f env -i sleep 51.1 >/dev/null 2>&1',
      '( env -i sleep 51.2 >/dev/null 2>&1 & )',
      'setsid env -i bash -c "exec sleep 51.3" </dev/null >/dev/null 2>&1 &',
      'echo started',
    ].join('\n'),
    timeoutMs: 10_000,
  });
  t.equal(r.output, 'started\n');
  const daemons = ['sleep 51.1', 'sleep 51.2', 'sleep 51.3'];
  await until('the daemons run', () => daemons.every((d) => pidsRunning(d).length === 1));
  t.notOk(daemons.some((d) => hasMarker(pidsRunning(d)[0])), 'none of them carries the run marker (the sweep by marker cannot see them)');
  await s.run({ script: 'echo a later step', timeoutMs: 5000 });
  t.ok(daemons.every((d) => pidsRunning(d).length === 1), 'they outlive their step');
  await s.close();
  await until('the daemons are gone', () => daemons.every((d) => pidsRunning(d).length === 0));
  t.pass('no daemon outlived the session');
});

t.test('a later step timing out ends its own processes, not the background jobs of earlier steps', async (t) => {
  const s = new Session({ env: process.env, cwd: tempDir(t) });
  t.teardown(() => s.close());
  await s.ready();
  await s.run({ script: 'sleep 53.1 >/dev/null 2>&1 &\nexport JOB=$!', timeoutMs: 5000 });
  await s.startBackground('exec sleep 53.2');
  await until('the background step runs', () => pidsRunning('sleep 53.2').length === 1);
  const timedOut = await s.run({ script: 'sleep 53.3 >/dev/null 2>&1 &\nsleep 53.4', timeoutMs: 300 });
  t.ok(timedOut.timedOut);
  await until('the timed-out step\'s processes are gone', () => pidsRunning('sleep 53.3').length + pidsRunning('sleep 53.4').length === 0);
  t.equal(pidsRunning('sleep 53.1').length, 1, "an earlier step's `cmd &` lives on");
  t.equal(pidsRunning('sleep 53.2').length, 1, 'a background step lives on');
  const r = await s.run({ script: 'kill -0 "$JOB" && echo alive', timeoutMs: 5000 });
  t.equal(r.output, 'alive\n', 'and the replaced shell still knows its pid');
  await s.close();
  await until('all gone after the run', () => pidsRunning('sleep 53.1').length + pidsRunning('sleep 53.2').length === 0);
});

t.test('without a holder the marker sweep still ends what keeps its environment, and the session says what it cannot hold', async (t) => {
  process.env.RUNBOOK_NO_HOLDER = '1';
  t.teardown(() => void delete process.env.RUNBOOK_NO_HOLDER);
  const s = new Session({ env: process.env, cwd: tempDir(t) });
  t.teardown(() => s.close());
  await s.ready();
  t.match(s.containmentWarning, /may outlive this run: RUNBOOK_NO_HOLDER is set/);
  await s.run({ script: 'setsid -f sleep 52.1 >/dev/null 2>&1\n( sleep 52.2 >/dev/null 2>&1 & )', timeoutMs: 5000 });
  await until('they run', () => pidsRunning('sleep 52.1').length === 1 && pidsRunning('sleep 52.2').length === 1);
  const r = await s.run({ script: 'exit 3', timeoutMs: 5000 });
  t.equal(r.exitCode, 3, 'a replaced shell without a holder works the same');
  await s.close();
  await until('gone', () => pidsRunning('sleep 52.1').length + pidsRunning('sleep 52.2').length === 0);
  t.pass('found by their marker');
});
