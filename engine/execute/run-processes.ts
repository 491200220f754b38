// What of the machine belongs to a session: the shells it started (with their holders), the job
// groups its steps left running, and whatever carries the run's marker. Ends a step's
// processes on a timeout, and all of them when the run ends — by polling, never a fixed wait.
import { randomUUID } from 'node:crypto';
import { endProcesses, killGroupsNow } from './processes.ts';
import { descendants, killPids, marked, processTable, type ProcessInfo } from './process-table.ts';
import type { ShellProcess } from './shell-process.ts';

/** Waits for `promise`, or `ms` at most; the timer is cleared either way (no wait left behind). */
export async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

export class RunProcesses {
  /** Every process of the run inherits it as RUNBOOK_RUN (the second net, and the only one without a holder). */
  readonly runId = randomUUID();
  /** Job groups of earlier steps and background steps: they live until the run ends. */
  readonly groups = new Set<number>();
  private readonly shells = new Set<ShellProcess>(); // every shell whose holder may still hold processes

  adopt(shell: ShellProcess): void {
    this.shells.add(shell);
    void shell.holderGone().then(() => this.shells.delete(shell));
  }

  /** Ends a step: its shell (it may be running the step's builtins) and every process the step started. */
  async endStep(shell: ShellProcess, step: number): Promise<void> {
    const table = processTable();
    const victims = new Set<number>();
    for (const p of [...descendants(table, shell.pid), ...marked(table, this.runId, String(step))]) {
      if (!this.groups.has(p.pgid)) victims.add(p.pid); // background jobs of earlier steps live on
    }
    if (shell.alive) victims.add(shell.pid);
    await endProcesses(victims, [], 300);
  }

  /** Ends every process of the run; resolves once they and the holders are gone. */
  async endAll(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      const owned = this.owned(processTable());
      if (!owned.processes.length && !owned.groups.length) break;
      await endProcesses(owned.processes, owned.groups, round === 0 ? 1000 : 200);
    }
    // A holder leaves once its last process is gone; one that does not is told to end what it holds.
    const holders = [...this.shells].filter((s) => !s.holderExited);
    if (!holders.length) return;
    await within(Promise.all(holders.map((s) => s.holderGone())), 300);
    for (const s of holders) if (!s.holderExited) killPids([s.rootPid], 'SIGTERM');
    await within(Promise.all(holders.map((s) => s.holderGone())), 2000);
  }

  /** For process 'exit' handlers: everything at once, synchronously. */
  killAllNow(): void {
    try {
      const owned = this.owned(processTable());
      killGroupsNow(owned.groups);
      killPids(owned.processes, 'SIGKILL');
    } catch {
      /* best effort: the process is exiting */
    }
    for (const s of this.shells) {
      if (s.alive) killPids([s.pid], 'SIGKILL');
      // A holder told to end sweeps what is left under it and removes the scratch directory.
      if (s.held && !s.holderExited) killPids([s.rootPid], 'SIGTERM');
    }
  }

  /**
   * What of the machine belongs to this run right now: every descendant of the session's
   * holders (the holders themselves leave on their own), and whatever carries the run's marker.
   * Process ids are recycled (a long test suite wraps a 32768 pid_max), so a recorded job group
   * is only signalled when the table shows it still holds a process of this run; where the
   * table has no environments (not Linux), recorded groups are trusted as they are.
   */
  private owned(table: ProcessInfo[]): { groups: number[]; processes: number[] } {
    const found = new Map<number, ProcessInfo>();
    for (const p of marked(table, this.runId)) found.set(p.pid, p);
    for (const s of this.shells) {
      if (!s.rootPid) continue;
      for (const p of descendants(table, s.rootPid)) found.set(p.pid, p);
      if (!s.held && s.alive) found.set(s.rootPid, { pid: s.rootPid, ppid: 0, pgid: s.rootPid });
    }
    const processes = [...found.values()].filter((p) => !p.zombie);
    const canSeeMarkers = table.some((p) => p.env);
    const groups = [...this.groups].reverse().filter((pgid) => !canSeeMarkers || processes.some((p) => p.pgid === pgid));
    return { groups, processes: processes.map((p) => p.pid) };
  }
}
