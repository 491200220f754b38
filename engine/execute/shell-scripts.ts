// The bash the session feeds its shell: the start-up of each shell and the driver every step
// runs through. Kept apart from the TypeScript that talks to the shell so both read in one go.

/** Bash quoting that survives anything: single quotes with embedded quotes spliced. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs one step at the top level of the shell (a sourced file, not a function, so a step's
 * `declare` stays global): __rb_a starts it (the step number, cwd=), the code in code-N.sh runs
 * with its output in out (and err for stream=stdout), __rb_z ends it. The two functions are
 * parsed once when the shell starts; what bash parses per step is this one line.
 */
export const STEP_FILES = {
  'step.sh': '__rb_a && builtin source "$__rb_dir/code-$__rb_n.sh" <&$__rb_null >"$__rb_dir/out" 2>&1 {__rb_ctl}>&-; __rb_z $?\n',
  'step-stdout.sh': '__rb_a && builtin source "$__rb_dir/code-$__rb_n.sh" <&$__rb_null >"$__rb_dir/out" 2>"$__rb_dir/err" {__rb_ctl}>&-; __rb_z $?\n',
} as const;

/**
 * Everything is a builtin so a step that defines a function called `cd` or `printf` cannot
 * break it. After the step, options and the exit trap are restored, the directory of a cwd=
 * step is left, the state is dumped when the engine asks (__rb_d=1: the step may have changed
 * it), and the job ids go back before the E line. The engine sends only what a step needs.
 */
const STEP_FUNCTIONS = [
  `__rb_a() { builtin export RUNBOOK_STEP=$((++__rb_n)); __rb_back=; [ -z "$__rb_cwd" ] && return 0; __rb_back=$PWD; builtin cd -- "$__rb_cwd" >"$__rb_dir/out" 2>&1 && return 0; __rb_rc=$?; __rb_back=; return $__rb_rc; }`,
  `__rb_z() { __rb_rc=$1; [ "$SHELLOPTS" = "$__rb_shellopts" ] || builtin eval "$__rb_opts"; builtin trap '__rb_exit $?' EXIT; [ -z "$__rb_back" ] || builtin cd -- "$__rb_back"; [ -z "$__rb_d" ] || __rb_dump "$__rb_dir/dump.sh"; __rb_cwd= __rb_d=; { builtin jobs -p; builtin printf 'E %s\\n' "$__rb_rc"; } >&$__rb_ctl; }`,
];

export const SHELL_INIT = (dir: string, stepsSoFar: number) =>
  [
    'set -m', // each job in a process group of its own
    // Replies go out on a high descriptor, closed while a step runs: a step may use fd 3 for
    // itself, and no process a step starts holds the channel open after the shell is gone.
    // Steps read from /dev/null, opened once.
    'exec {__rb_ctl}>&3 3>&- {__rb_null}</dev/null',
    `__rb_dir=${shellQuote(dir)} __rb_cwd= __rb_d= __rb_n=${stepsSoFar}`,
    '__rb_s=$__rb_dir/step.sh __rb_so=$__rb_dir/step-stdout.sh',
    ...STEP_FUNCTIONS,
    // The session's directory is private (0700); the engine removes each dump once read.
    `__rb_dump() { { builtin declare -p; builtin declare -f; builtin printf 'cd -- %q\\n' "$PWD"; } > "$1"; }`,
    // A step that ends the shell leaves its state behind for the next shell (the exit code is the shell's).
    `__rb_exit() { __rb_dump "$__rb_dir/exit.sh"; }`,
    `builtin trap '__rb_exit $?' EXIT`,
    '__rb_opts=$(builtin set +o)', // the options every step starts with
    '__rb_shellopts=$SHELLOPTS', // …as one string, to skip restoring when nothing changed
    "builtin printf 'R %s\\n' \"$$\" >&$__rb_ctl",
  ].join('\n');
