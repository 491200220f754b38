// Process-group bookkeeping: every step runs in a process group of its own, so a timeout, a
// failure or Ctrl-C can end the step's whole process tree, and the end of a run can end every
// group it ever started.

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
 * Ends a process group: SIGTERM first so programs can tidy up, SIGKILL for whatever is still
 * there after `graceMs`. Resolves once the group is gone (or after the SIGKILL).
 */
export async function endGroup(pgid: number, graceMs = 1500): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  // SIGCONT wakes stopped members so they can act on the SIGTERM.
  signalGroup(pgid, 'SIGCONT');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(25);
    if (!groupAlive(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
}

/** Synchronous last resort for process exit handlers, where nothing can be awaited. */
export function killGroupsNow(pgids: Iterable<number>): void {
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
}
