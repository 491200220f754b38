// Process-group bookkeeping: every step runs in a process group of its own, so a timeout, a
// failure or Ctrl-C can end the step's whole process tree, and the end of a run can end every
// group it ever started.
import { killPids, running } from './process-table.ts';

/** Sends a signal to every process of a group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  // kill(-0) would signal our own group and kill(-1) every process we may signal.
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends processes and process groups: SIGTERM first so programs can tidy up (SIGCONT wakes
 * stopped ones so they can act on it), SIGKILL for whatever still runs after `graceMs`.
 * Resolves as soon as everything is gone — it polls, so a quick exit costs a millisecond or two.
 */
export async function endProcesses(pids: Iterable<number>, groups: Iterable<number> = [], graceMs = 1500): Promise<void> {
  const procs = [...pids];
  const pgids = [...groups];
  if (!procs.length && !pgids.length) return;
  for (const signal of ['SIGTERM', 'SIGCONT'] as const) {
    for (const g of pgids) signalGroup(g, signal);
    killPids(procs, signal);
  }
  // Where /proc lists every process of the run, its pids say when all are gone; elsewhere the
  // groups are all there is to go by (their zombies may linger until a parent reaps them).
  const stillThere = () => procs.some(running) || (process.platform !== 'linux' && pgids.some(groupAlive));
  const deadline = Date.now() + graceMs;
  for (let pause = 1; stillThere(); pause = Math.min(pause * 2, 25)) {
    if (Date.now() >= deadline) {
      for (const g of pgids) signalGroup(g, 'SIGKILL');
      killPids(procs, 'SIGKILL');
      return;
    }
    await sleep(pause);
  }
}

/** Synchronous last resort for process exit handlers, where nothing can be awaited. */
export function killGroupsNow(pgids: Iterable<number>): void {
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
}
