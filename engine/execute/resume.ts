// Resuming a run at a step (--from): the saved state is checked against the runbook as it is now
// (stale state is refused, naming the steps that changed), secrets left out of it are taken from
// the environment, it is restored with a step's timeout and Ctrl-C handling, and what was
// running at that point — background steps, port-forwards of directives — is started again.
import { spawnSync } from 'node:child_process';
import type { Runbook, Step } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { formatDuration } from '../read/duration.ts';
import { shellQuote, type Session } from './session.ts';
import { isDirectory } from './session-files.ts';
import { splitState, stateDirectory } from './state-entries.ts';
import { stepFingerprint, type SavedState, type StateStore } from './state.ts';
import type { StepResult } from './results.ts';

/** Directives that may leave a port-forward running for the rest of the run. */
const FORWARDING_VERBS = new Set(['port-forward', 'ingress']);

/** Steps that leave something running when they pass: a later step may need it. */
export function startsProcesses(step: Step): boolean {
  return step.type === 'command' ? step.kind === 'background' : FORWARDING_VERBS.has(step.verb);
}

/** Whether a passed step left something running that a resumed run must start again. */
export function keepsRunning(result: StepResult): boolean {
  if (result.status !== 'passed' || result.phase !== 'main') return false;
  if (result.step.type === 'command') return result.step.kind === 'background';
  const data = result.data ?? {};
  const ingress = data.ingress as { how?: string } | undefined;
  return Boolean(data.portForward) || ingress?.how === 'port-forward';
}

const where = (step: Step) => `${step.position.file}:${step.position.line}`;

/**
 * Refuses (exit 2, before anything runs) a saved state that no longer fits the runbook: a step
 * behind it changed, was removed or renamed, or a step was inserted before the resume point;
 * one of its secrets is not in the environment to take its value from; or it is not valid bash.
 */
export function checkResume(runbook: Runbook, mainSteps: Step[], saved: SavedState, env: Record<string, string | undefined>, store: StateStore): void {
  checkSyntax(saved);
  const byId = new Map(runbook.steps.map((s) => [s.id, s]));
  const problems: string[] = [];
  const ran = new Set<string>();
  for (const [id, fingerprint] of saved.lineage) {
    if (ran.has(id)) continue;
    ran.add(id);
    const now = byId.get(id);
    if (!now) problems.push(`${id}: no step has this id any more (removed or renamed)`);
    else if (stepFingerprint(now) !== fingerprint) problems.push(`${id} (${where(now)}): changed`);
  }
  const before = (ids: string[]) => new Set(ids.slice(0, Math.max(0, ids.indexOf(saved.stepId))));
  const then = before(saved.planned);
  for (const step of mainSteps.slice(0, mainSteps.findIndex((s) => s.id === saved.stepId))) {
    if (!then.has(step.id) && !ran.has(step.id)) problems.push(`${step.id} (${where(step)}): added before ${saved.stepId}`);
  }
  if (problems.length) {
    const first = mainSteps.find((s) => problems.some((p) => p.startsWith(`${s.id} `)));
    const restart = first && first.id !== saved.stepId && safeLoad(store, first.id) ? `resume at the first changed step (--from ${first.id})` : 'run from the start (without --from)';
    throw new RunbookError(
      `--from ${saved.stepId}: the steps before it changed since its state was saved:\n${problems.map((p) => `    ${p}`).join('\n')}`,
      undefined,
      undefined,
      `The saved state came from the steps as they were; ${restart} so the state matches the runbook.`,
    );
  }
  const missing = saved.secrets.filter((name) => env[name] === undefined);
  if (missing.length) {
    throw new RunbookError(
      `--from ${saved.stepId}: the saved state leaves out the value of ${missing.join(', ')} (secrets are never saved)`,
      undefined,
      undefined,
      `Export ${missing.length === 1 ? 'it' : 'them'} in your environment or pass --set ${missing[0]}=… and run again.`,
    );
  }
  if (saved.secretFunctions.length) {
    throw new RunbookError(
      `--from ${saved.stepId}: the saved state leaves out the function${saved.secretFunctions.length === 1 ? '' : 's'} ${saved.secretFunctions.join(', ')}: ${saved.secretFunctions.length === 1 ? 'its body holds' : 'their bodies hold'} a secret`,
      undefined,
      undefined,
      'Resume at a step before the one that defines it, or run from the start.',
    );
  }
}

/** A state that is not valid bash would run only in part: refused before anything runs. */
function checkSyntax(saved: SavedState, shell = 'bash'): void {
  const syntax = spawnSync(shell, ['--noprofile', '--norc', '-n'], { input: saved.text, encoding: 'utf8', timeout: 30_000 });
  if (syntax.status === 0) return;
  const why = (syntax.stderr || syntax.error?.message || 'bash -n failed').trim().split('\n')[0].replace(/^bash: /, '');
  throw new RunbookError(`${saved.file}: not valid bash (${why})`, undefined, undefined, 'Saved state is written by the engine; delete it (or run without --from, which saves it again).');
}

function safeLoad(store: StateStore, id: string): boolean {
  try {
    return store.load(id) !== undefined;
  } catch {
    return false;
  }
}

export interface RestoreOutcome {
  ok: boolean;
  interrupted?: boolean;
  message?: string;
  notes: string[];
}

/**
 * Restores a saved state in the session as a step: sourced under the run's step timeout and
 * Ctrl-C, and refused when it prints anything or fails (checkResume has checked its syntax).
 */
export async function restoreSaved(session: Session, saved: SavedState, options: { timeoutMs: number; signal: AbortSignal }): Promise<RestoreOutcome> {
  const notes: string[] = [];
  const entries = splitState(saved.text);
  const dir = stateDirectory(entries);
  // The file's own lines, each where it was (the cd line blanked, and done last, where it can
  // be), so that bash's messages name the state file and its line, not the session's scratch.
  const cdLines = new Set(entries.filter((e) => e.kind === 'cd').map((e) => e.line));
  let script = saved.text
    .split('\n')
    .map((line, i) => (cdLines.has(i) ? '' : line))
    .join('\n');
  if (!script.endsWith('\n')) script += '\n';
  if (dir && isDirectory(dir)) script += `builtin cd -- ${shellQuote(dir)}\n`;
  else if (dir) notes.push(`the directory the saved state was in (${dir}) no longer exists; steps start in the directory the run started in`);
  const source = { id: 'restore', position: { file: saved.file }, codeLine: 1 };
  const outcome = await session.run({ script, source, timeoutMs: options.timeoutMs, signal: options.signal });
  if (outcome.interrupted) return { ok: false, interrupted: true, message: 'interrupted while restoring the saved state', notes };
  if (outcome.timedOut) return { ok: false, message: `restoring ${saved.file} did not finish within ${formatDuration(options.timeoutMs)}`, notes };
  if (outcome.exitCode !== 0 || outcome.output.trim()) {
    const said = outcome.output.trim().split('\n').slice(0, 3).join('; ');
    return { ok: false, message: `restoring ${saved.file} failed (exit ${outcome.exitCode})${said ? `: ${said}` : ''}`, notes };
  }
  return { ok: true, notes };
}
