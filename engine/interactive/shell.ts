// A shell inside the run: an interactive bash on the terminal with exactly the session's state
// (variables, functions, working directory, the exported environment — the kube context
// overlay's KUBECONFIG included; the run's port-forwards stay open in the engine). When it exits,
// what the person changed becomes the session's state.
//
// Nothing of the state touches the disk: the start-up script reaches bash through a pipe (a
// process substitution fed from the engine), and the state comes back on another descriptor
// from the shell's EXIT trap. The shell takes the terminal's foreground with job control, so
// Ctrl-C interrupts only its foreground command, never the run.
import { spawn } from 'node:child_process';
import type { Session } from '../execute/session.ts';
import { filterState } from '../execute/shell-state.ts';
import { shellQuote } from '../execute/shell-scripts.ts';
import { cdLineDirectory, splitState } from '../execute/state-entries.ts';

/** Variables an interactive bash sets for itself: not the person's changes. */
const INTERACTIVE_ONLY = new Set(['PS0', 'PS1', 'PS2', 'PS3', 'PS4', 'PROMPT_COMMAND', 'HISTFILE', 'HISTFILESIZE', 'HISTSIZE', 'HISTCONTROL', 'MAILCHECK', 'COLUMNS', 'LINES', 'RUNBOOK_SHELL']);
const END = '\0runbook-shell-end\n';

export interface ShellChanges {
  /** Variables set or changed, and unset. */
  set: string[];
  unset: string[];
  functions: string[];
  cwd?: { from?: string; to?: string };
  /** The shell ended without handing its state back (its EXIT trap was replaced, or it was killed). */
  lost: boolean;
}

export interface OpenShellOptions {
  stepId: string;
  /** bash to run; default "bash" from PATH. */
  shell?: string;
  /** Receives the running shell, so a stopping run can end it. */
  onStart?: (stop: () => void) => void;
  /** What is typed into the shell, instead of the terminal (tests); its output is dropped. */
  typed?: string;
}

/** The start-up script: the session's state, then the prompt and the trap that hands the state back. */
export function shellRc(stateText: string, stepId: string): string {
  return [
    // The pipe this script came through is closed, so nothing the person starts holds it open.
    '[[ ${BASH_SOURCE[0]} == /dev/fd/* ]] && builtin eval "exec ${BASH_SOURCE[0]#/dev/fd/}<&-"',
    'exec 3<&-',
    stateText,
    `PS1=${shellQuote(`runbook:${stepId}$ `)}`,
    'unset HISTFILE', // commands typed here may hold secrets: history stays in memory
    `export RUNBOOK_SHELL=${shellQuote(stepId)}`,
    `trap '{ builtin declare -p; builtin declare -f; builtin printf "cd -- %q\\n" "$PWD"; } >&4; builtin printf "${END.replace('\0', '\\0').replace('\n', '\\n')}" >&4' EXIT`,
    '',
  ].join('\n');
}

export async function openSessionShell(session: Session, options: OpenShellOptions): Promise<ShellChanges> {
  const before = await session.snapshot();
  const env = await session.env();
  const cwd = await session.cwd();
  const bash = options.shell ?? 'bash';
  const child = spawn(bash, ['--noprofile', '--norc', '-c', 'exec "$0" --noprofile --rcfile <(exec cat <&3) -i', bash], {
    cwd,
    env,
    stdio: options.typed === undefined ? ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'] : ['pipe', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  options.onStart?.(() => child.kill('SIGHUP'));
  if (options.typed !== undefined) child.stdin!.end(options.typed);
  const rc = child.stdio[3] as NodeJS.WritableStream;
  rc.on('error', () => {});
  rc.end(shellRc(before.text, options.stepId));
  let dump = '';
  const back = child.stdio[4] as NodeJS.ReadableStream;
  back.on('data', (d) => (dump += d));
  back.on('error', () => {});
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  (back as unknown as { destroy(): void }).destroy(); // a job the person left running may hold it open
  const end = dump.lastIndexOf(END);
  if (end < 0) return { set: [], unset: [], functions: [], lost: true };
  return applyShellState(session, before.text, dump.slice(0, end));
}

/** Makes the shell's final state the session's: changed entries sourced, vanished ones unset. */
export async function applyShellState(session: Session, beforeText: string, dumpText: string): Promise<ShellChanges> {
  const after = filterState(dumpText);
  const entries = splitState(after.text).filter((e) => !(e.kind === 'var' && INTERACTIVE_ONLY.has(e.name)));
  const old = splitState(beforeText);
  const oldText = new Map(old.map((e) => [`${e.kind}:${e.name}`, e.text]));
  const now = new Set(entries.map((e) => `${e.kind}:${e.name}`));
  const changes: ShellChanges = { set: [], unset: [], functions: [], lost: false };
  for (const e of entries) {
    if (oldText.get(`${e.kind}:${e.name}`) === e.text) continue;
    if (e.kind === 'var') changes.set.push(e.name);
    else if (e.kind === 'function') changes.functions.push(e.name);
  }
  const unsetFunctions: string[] = [];
  for (const e of old) {
    if (now.has(`${e.kind}:${e.name}`) || INTERACTIVE_ONLY.has(e.name)) continue;
    if (e.kind === 'var') changes.unset.push(e.name);
    else if (e.kind === 'function') unsetFunctions.push(e.name);
  }
  changes.functions.push(...unsetFunctions.map((f) => `${f} (removed)`));
  const oldCd = old.find((e) => e.kind === 'cd')?.text;
  const newCd = entries.find((e) => e.kind === 'cd')?.text;
  if (oldCd !== newCd) changes.cwd = { from: oldCd && cdLineDirectory(oldCd), to: newCd && cdLineDirectory(newCd) };
  // Only what changed goes back (the session's own scratch holds the script until the run ends).
  const changed = entries.filter((e) => e.kind === 'cd' || oldText.get(`${e.kind}:${e.name}`) !== e.text);
  let script = changed.map((e) => e.text).join('\n') + '\n';
  if (changes.unset.length) script += `builtin unset -v ${changes.unset.join(' ')}\n`;
  if (unsetFunctions.length) script += `builtin unset -f ${unsetFunctions.map(shellQuote).join(' ')}\n`;
  await session.restoreState(script);
  return changes;
}

/** "FIX set; ../work is the directory now" — what the shell changed, in one line. */
export function describeChanges(c: ShellChanges): string {
  if (c.lost) return 'the shell ended without handing its state back (was its EXIT trap replaced?); the session is as it was';
  const parts: string[] = [];
  if (c.set.length) parts.push(`set ${c.set.join(', ')}`);
  if (c.unset.length) parts.push(`unset ${c.unset.join(', ')}`);
  if (c.functions.length) parts.push(`functions ${c.functions.join(', ')}`);
  if (c.cwd?.to) parts.push(`directory now ${c.cwd.to}`);
  return parts.length ? `the session keeps what the shell changed: ${parts.join('; ')}` : 'the shell changed nothing in the session';
}
