// Whether a step's code might change what the session carries to the next step — its
// variables, functions or working directory. Most steps (`kubectl apply …`, `curl …`) cannot,
// and for them the session skips dumping its state, which is most of what a step costs on the
// bash side. The answer errs one way only: "might change" whenever the code does anything this
// reader does not fully follow (odd quoting, dynamic command names, calls of the session's own
// functions), so a skipped dump never loses a change.

/** Builtins and keywords that can change variables, functions or the directory of the shell. */
const CHANGES_STATE = new Set([
  'cd', 'pushd', 'popd', 'export', 'unset', 'declare', 'typeset', 'readonly', 'local', 'read', 'mapfile', 'readarray',
  'getopts', 'let', 'source', '.', 'eval', 'wait', 'enable', 'compgen', 'for', 'select', 'coproc', 'function',
]);

/** Builtins after which nothing can be judged from the code alone: later steps always dump. */
export const CHANGES_EVERYTHING_AFTER = new Set(['trap', 'alias', 'unalias', 'shopt']);

/** Words after which the next word is again a command name. */
const COMMAND_FOLLOWS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', 'time', '{', 'builtin', 'command', 'exec', 'nohup']);

export interface StateEffect {
  /** The code might change the session's variables, functions or directory. */
  mayChange: boolean;
  /** The code sets something (a trap, an alias, a shell option) that makes later steps unpredictable. */
  unpredictableAfter: boolean;
}

const MAY_CHANGE: StateEffect = { mayChange: true, unpredictableAfter: false };
const UNPREDICTABLE: StateEffect = { mayChange: true, unpredictableAfter: true };

// Expansions that assign in the current shell wherever they stand (heredoc bodies included):
// ${NAME:=…} / ${NAME=…}, and any arithmetic, whose ++, -- and = assign.
const ASSIGNING_EXPANSION = /\$\{[#!]?[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?:?=|\(\(|\$\[/;
const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*(\[.*\])?\+?=/;
const PLAIN_WORD = /^[A-Za-z0-9_./:+%@,=-]+$/;

export function stateEffect(code: string, functions: ReadonlySet<string>): StateEffect {
  if (ASSIGNING_EXPANSION.test(code)) return MAY_CHANGE;
  const words = commandWords(code);
  if (words === null) return MAY_CHANGE; // quoting this reader does not follow
  let effect: StateEffect = { mayChange: false, unpredictableAfter: false };
  for (const { word, next } of words) {
    if (CHANGES_EVERYTHING_AFTER.has(word)) return UNPREDICTABLE;
    if (word === '[' || word === '[[') continue;
    if (!PLAIN_WORD.test(word) || ASSIGNMENT_WORD.test(word) || CHANGES_STATE.has(word) || functions.has(word)) effect = MAY_CHANGE;
    else if (word === 'printf' && next?.startsWith('-v')) effect = MAY_CHANGE;
  }
  return effect;
}

interface CommandWord {
  word: string; // as written, quotes included
  next?: string; // the word after it, for `printf -v`
}

/**
 * The words of `code` that stand where a command name does, or null when the code has quoting
 * or nesting this scanner cannot follow. Command substitutions are skipped whole: they run in a
 * subshell, which cannot change the session (their assigning expansions are caught before).
 * Words inside ( ) count (a subshell too, but counting them only errs towards "might change").
 */
function commandWords(code: string): CommandWord[] | null {
  const out: CommandWord[] = [];
  const heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let i = 0;
  let atCommand = true;
  let afterRedirect = false;
  let last: CommandWord | undefined;
  while (i < code.length) {
    const c = code[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && code[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      i++;
      atCommand = true;
      last = undefined;
      for (const doc of heredocs.splice(0)) {
        const end = skipHeredoc(code, i, doc.delimiter, doc.stripTabs);
        if (end < 0) return null;
        i = end;
      }
      continue;
    }
    if (c === '#') {
      const eol = code.indexOf('\n', i);
      i = eol < 0 ? code.length : eol;
      continue;
    }
    const op = /^(;;&|;;|;&|&&|\|\||\|&|[;&|()]|<<<|<<-|<<|<>|>>|>&|<&|&>>|&>|>\||[<>])/.exec(code.slice(i, i + 3));
    if (op) {
      i += op[0].length;
      if (op[0] === '<<' || op[0] === '<<-') {
        const start = skipBlanks(code, i);
        const end = wordEnd(code, start);
        if (end < 0 || end === start) return null;
        heredocs.push({ delimiter: code.slice(start, end).replace(/["'\\]/g, ''), stripTabs: op[0] === '<<-' });
        i = end;
      } else if (/[<>]/.test(op[0])) afterRedirect = true;
      else {
        atCommand = true;
        last = undefined;
      }
      continue;
    }
    const end = wordEnd(code, i);
    if (end < 0) return null;
    const word = code.slice(i, end);
    i = end;
    // `2>file`, `{fd}>file`: the word is the descriptor of a redirection, not a command.
    if (/^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(word) && /[<>]/.test(code[i] ?? '')) {
      if (word.startsWith('{')) out.push({ word: '{fd}=' }); // assigns the descriptor's number
      continue;
    }
    if (afterRedirect) {
      afterRedirect = false;
      continue;
    }
    if (last && last.next === undefined) last.next = word;
    if (!atCommand) continue;
    // `time -p cmd`, `command -p cd`: options of a prefix word come before the command.
    if (word.startsWith('-') && last && COMMAND_FOLLOWS.has(last.word)) continue;
    last = { word };
    out.push(last);
    // `name () …` defines a function.
    if (/^[ \t]*\([ \t]*\)/.test(code.slice(i, i + 16))) out.push({ word: 'function' });
    // A command name is followed by its arguments, except after these and after assignments.
    atCommand = COMMAND_FOLLOWS.has(word) || ASSIGNMENT_WORD.test(word);
  }
  return heredocs.length ? null : out;
}

function skipBlanks(code: string, i: number): number {
  while (code[i] === ' ' || code[i] === '\t') i++;
  return i;
}

/** The end of the word starting at i (quotes, escapes and $( ) / ${ } / ` ` followed), or -1. */
function wordEnd(code: string, i: number): number {
  while (i < code.length) {
    const c = code[i];
    if (' \t\n;&|()<>'.includes(c)) return i;
    if (c === "'") {
      const close = code.indexOf("'", i + 1);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === '$' && code[i + 1] === "'") i = ansiQuoteEnd(code, i + 2);
    else if (c === '"') i = doubleQuoteEnd(code, i + 1);
    else i = pastEscapeOrExpansion(code, i, false);
    if (i < 0) return -1;
  }
  return i;
}

/**
 * Past the escape, $( ), ${ } or ` ` at i (or past the plain character there); -1 when it does
 * not end. Inside double quotes, a ${ } treats `'` as an ordinary character.
 */
function pastEscapeOrExpansion(code: string, i: number, inDouble: boolean): number {
  const c = code[i];
  if (c === '\\') return i + 2;
  if (c === '$' && (code[i + 1] === '(' || code[i + 1] === '{')) {
    const end = matchingClose(code, i + 1, inDouble && code[i + 1] === '{');
    return end < 0 ? -1 : end + 1;
  }
  if (c === '`') {
    const close = code.indexOf('`', i + 1);
    return close < 0 ? -1 : close + 1;
  }
  return i + 1;
}

function ansiQuoteEnd(code: string, i: number): number {
  while (i < code.length) {
    if (code[i] === '\\') i += 2;
    else if (code[i] === "'") return i + 1;
    else i++;
  }
  return -1;
}

function doubleQuoteEnd(code: string, i: number): number {
  while (i < code.length) {
    if (code[i] === '"') return i + 1;
    i = pastEscapeOrExpansion(code, i, true);
    if (i < 0) return -1;
  }
  return -1;
}

/**
 * Index of the `)` or `}` closing the `(` or `{` at i, following quotes and nesting; -1 when
 * unbalanced or unclear. Inside double quotes a `'` is an ordinary character. In $( ) a comment
 * or a `case` (whose patterns end in `)`) could hide the real close: those count as unclear.
 */
function matchingClose(code: string, i: number, inDouble = false): number {
  const open = code[i];
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === open) depth++;
    else if (c === close) {
      if (--depth === 0) return i;
    } else if (c === '\\') i++;
    else if (c === "'" && !inDouble) {
      i = code.indexOf("'", i + 1);
      if (i < 0) return -1;
    } else if (c === '"') {
      i = doubleQuoteEnd(code, i + 1) - 1;
      if (i < 0) return -1;
    } else if (open === '(' && c === '#' && /\s/.test(code[i - 1] ?? ' ')) return -1;
    else if (open === '(' && /^case\s/.test(code.slice(i, i + 5)) && /[\s;(]/.test(code[i - 1] ?? ' ')) return -1;
    i++;
  }
  return -1;
}

/** The index just past a heredoc body that starts at i, or -1 when its delimiter never comes. */
function skipHeredoc(code: string, i: number, delimiter: string, stripTabs: boolean): number {
  while (i < code.length) {
    const eol = code.indexOf('\n', i);
    const line = code.slice(i, eol < 0 ? code.length : eol);
    i = eol < 0 ? code.length : eol + 1;
    if ((stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) return i;
  }
  return -1;
}
