// The bash the session feeds its shell: the start-up of each shell and the driver every step
// runs through. Kept apart from the TypeScript that talks to the shell so both read in one go.

/** Bash quoting that survives anything: single quotes with embedded quotes spliced. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs one step at the top level of the shell: the code in code.sh, its output in out (and err
 * with __rb_m=1). Everything is a builtin so a step that defines a function called `cd` or
 * `printf` cannot break it; after the step, options and the exit trap are restored and, when
 * the engine asks (__rb_d=1: the step may have changed it), the state is dumped; job ids go back
 * before the E line. The engine sends only what a step needs; the driver resets it after.
 */
export const STEP_DRIVER = `builtin export RUNBOOK_STEP=$((++__rb_n))
__rb_rc=0 __rb_back=
if [ -n "$__rb_cwd" ]; then
  __rb_back=$PWD
  builtin cd -- "$__rb_cwd" >"$__rb_dir/out" 2>&1 || { __rb_rc=$?; __rb_back=; }
fi
if [ "$__rb_rc" = 0 ]; then
  if [ -n "$__rb_m" ]; then
    builtin source "$__rb_dir/code.sh" <&$__rb_null >"$__rb_dir/out" 2>"$__rb_dir/err" {__rb_ctl}>&-
  else
    builtin source "$__rb_dir/code.sh" <&$__rb_null >"$__rb_dir/out" 2>&1 {__rb_ctl}>&-
  fi
  __rb_rc=$?
fi
[ "$SHELLOPTS" = "$__rb_shellopts" ] || builtin eval "$__rb_opts"
builtin trap '__rb_exit $?' EXIT
if [ -n "$__rb_back" ]; then builtin cd -- "$__rb_back"; fi
if [ -n "$__rb_d" ]; then __rb_dump "$__rb_dir/dump.sh"; fi
__rb_m= __rb_cwd= __rb_d=
{ builtin jobs -p; builtin printf 'E %s\\n' "$__rb_rc"; } >&$__rb_ctl
`;

export const SHELL_INIT = (dir: string, stepsSoFar: number) =>
  [
    'set -m', // each job in a process group of its own
    // Replies go out on a high descriptor, closed while a step runs: a step may use fd 3 for
    // itself, and no process a step starts holds the channel open after the shell is gone.
    // Steps read from /dev/null, opened once.
    'exec {__rb_ctl}>&3 3>&- {__rb_null}</dev/null',
    `__rb_dir=${shellQuote(dir)} __rb_m= __rb_cwd= __rb_d= __rb_n=${stepsSoFar}`,
    '__rb_s=$__rb_dir/step.sh',
    // The session's directory is private (0700); the engine removes each dump once read.
    `__rb_dump() { { builtin declare -p; builtin declare -f; builtin printf 'cd -- %q\\n' "$PWD"; } > "$1"; }`,
    // A step that ends the shell leaves its state behind for the next shell (the exit code is the shell's).
    `__rb_exit() { __rb_dump "$__rb_dir/exit.sh"; }`,
    `builtin trap '__rb_exit $?' EXIT`,
    '__rb_opts=$(builtin set +o)', // the options every step starts with
    '__rb_shellopts=$SHELLOPTS', // …as one string, to skip restoring when nothing changed
    "builtin printf 'R %s\\n' \"$$\" >&$__rb_ctl",
  ].join('\n');
