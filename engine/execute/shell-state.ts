// Filters a bash state dump (`declare -p`, `declare -f`, `cd -- DIR`) down to what a step may
// carry over: the user's variables, exports, arrays and functions, and the working directory.
// Bash's own dynamic and read-only variables are dropped so re-sourcing them is silent and safe.

export interface ShellState {
  text: string; // a script that re-creates the state when sourced at top level
  vars: Set<string>;
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

const DECLARE = /^declare -([a-zA-Z-]+) ([A-Za-z_][A-Za-z0-9_]*)/;
const FUNCTION_START = /^([^\s()=]+) \(\) $/;

export function filterState(dump: string): ShellState {
  const lines = dump.split('\n');
  const kept: string[] = [];
  const vars = new Set<string>();
  let cwd: string | undefined;
  let keeping = false; // whether continuation lines of the current entry are kept
  let inFunctions = false;
  for (const line of lines) {
    const decl = inFunctions ? null : DECLARE.exec(line);
    if (decl) {
      const [, flags, name] = decl;
      keeping = !flags.includes('r') && !BASH_SPECIAL.has(name) && !name.startsWith('__rb_');
      if (keeping) {
        vars.add(name);
        // `declare -g` keeps the variable global even if sourced from inside a function.
        kept.push(line.replace(/^declare --? ?/, (m) => (m === 'declare -- ' ? 'declare -g ' : 'declare -g')));
      }
      continue;
    }
    const fn = FUNCTION_START.exec(line);
    if (fn) {
      inFunctions = true;
      keeping = !fn[1].startsWith('__rb_');
      if (keeping) kept.push(line);
      continue;
    }
    if (line.startsWith('cd -- ') && !line.startsWith(' ')) {
      cwd = line;
      keeping = false;
      continue;
    }
    if (keeping) kept.push(line);
  }
  if (cwd) kept.push(`${cwd} 2>/dev/null`);
  return { text: kept.join('\n') + '\n', vars, cwd: cwd && unquoteCd(cwd) };
}

/** The directory of a `cd -- %q` line, for display and reports. */
function unquoteCd(line: string): string {
  const q = line.slice('cd -- '.length);
  return q.replace(/\\(.)/g, '$1');
}
