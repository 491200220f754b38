// Filters a bash state dump (`declare -p`, `declare -f`, `cd -- DIR`) down to what a step may
// carry over: the user's variables, exports, arrays and functions, and the working directory.
// Bash's own dynamic and read-only variables are dropped so re-sourcing them is silent and safe.
// The values of secret-looking variables are picked out on the way, for redaction.
import { isSecretName } from '../write/redact.ts';
import { cdLineDirectory, joinState, splitState } from './state-entries.ts';

export interface ShellState {
  text: string; // a script that re-creates the state when sourced at top level
  vars: Set<string>;
  functions: Set<string>;
  /** Values of variables whose names look secret (TOKEN, PASSWORD, …), by name. */
  secrets: Map<string, string[]>;
  cwd?: string;
}

const BASH_SPECIAL = new Set([
  'BASHOPTS', 'BASHPID', 'BASH_ALIASES', 'BASH_ARGC', 'BASH_ARGV', 'BASH_ARGV0', 'BASH_CMDS', 'BASH_COMMAND',
  'BASH_EXECUTION_STRING', 'BASH_LINENO', 'BASH_LOADABLES_PATH', 'BASH_REMATCH', 'BASH_SOURCE', 'BASH_SUBSHELL',
  'BASH_VERSINFO', 'BASH_VERSION', 'BASH', 'COLUMNS', 'COMP_WORDBREAKS', 'DIRSTACK', 'EPOCHREALTIME', 'EPOCHSECONDS',
  'EUID', 'FUNCNAME', 'GROUPS', 'HISTCMD', 'HOSTNAME', 'HOSTTYPE', 'LINENO', 'LINES', 'MACHTYPE', 'OLDPWD', 'OPTERR',
  'OPTIND', 'OSTYPE', 'PIPESTATUS', 'PPID', 'PWD', 'RANDOM', 'SECONDS', 'SHELLOPTS', 'SHLVL', 'SRANDOM', 'UID', '_',
  // the engine's own markers: a new run (or a resumed one) must not inherit an old run's
  'RUNBOOK_RUN', 'RUNBOOK_STEP',
]);

const DECLARE_FLAGS = /^declare -([a-zA-Z-]*)/;

export function filterState(dump: string): ShellState {
  const kept: string[] = [];
  const vars = new Set<string>();
  const functions = new Set<string>();
  const secrets = new Map<string, string[]>();
  let cwd: string | undefined;
  for (const entry of splitState(dump)) {
    if (entry.kind === 'cd') cwd = entry.text;
    if (entry.name.startsWith('__rb_')) continue;
    if (entry.kind === 'function') {
      functions.add(entry.name);
      kept.push(entry.text);
    } else if (entry.kind === 'var') {
      if (DECLARE_FLAGS.exec(entry.text)![1].includes('r') || BASH_SPECIAL.has(entry.name)) continue;
      vars.add(entry.name);
      if (isSecretName(entry.name)) secrets.set(entry.name, declaredValues(entry.text));
      // `declare -g` keeps the variable global even if sourced from inside a function.
      kept.push(entry.text.replace(/^declare --? ?/, (m) => (m === 'declare -- ' ? 'declare -g ' : 'declare -g')));
    }
  }
  if (cwd) kept.push(`${cwd} 2>/dev/null`);
  return { text: kept.join('\n') + '\n', vars, functions, secrets, cwd: cwd && cdLineDirectory(cwd) };
}

/** The values in a `declare` entry: a scalar's, or each element's of an array. */
function declaredValues(entry: string): string[] {
  const values: string[] = [];
  const quoted = /(?:=|\]=)("(?:[^"\\]|\\[\s\S])*"|\$'(?:[^'\\]|\\[\s\S])*')/g;
  for (const m of entry.matchAll(quoted)) {
    values.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/\\(["\\$`])/g, '$1') : ansiC(m[1].slice(2, -1)));
  }
  return values;
}

const ANSI_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Decodes the body of a bash $'…' string. */
function ansiC(body: string): string {
  return body.replace(/\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|c.|.)/g, (all, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (e[0] === 'c') return String.fromCharCode(e.charCodeAt(1) & 31);
    return ANSI_ESCAPES[e] ?? all;
  });
}

/**
 * A state without the values of its secret-looking variables, for saving to disk: each such
 * declaration is dropped and its name listed, so a resume can take the value from the
 * environment (or refuse, naming it).
 */
export function withoutSecrets(state: ShellState): { text: string; secretNames: string[] } {
  if (state.secrets.size === 0) return { text: state.text, secretNames: [] };
  const kept = splitState(state.text).filter((e) => !(e.kind === 'var' && state.secrets.has(e.name)));
  return { text: joinState(kept), secretNames: [...state.secrets.keys()] };
}
