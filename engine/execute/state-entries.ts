// A session state script (engine/execute/shell-state.ts makes them) taken apart into its
// entries — one per variable, one per function, the `cd` line — so saved state can leave out
// what the run started with and every secret, and say which secrets it left out.

export interface StateEntry {
  /** `other`: lines that are none of the rest (only in a state someone edited); kept as they are. */
  kind: 'var' | 'function' | 'cd' | 'other';
  name: string; // variable or function name; '' for cd and other
  text: string; // the entry's lines, joined with \n
  /** The entry's first line in the script (0-based). */
  line: number;
}

const VAR_START = /^declare -[a-zA-Z-]* ?([A-Za-z_][A-Za-z0-9_]*)(=|$)/;
const FUNCTION_START = /^([^\s()=]+) \(\) $/;

/** The line of a dump that says where the shell was (`cd -- DIR`, as `__rb_dump` writes it). */
const isCdLine = (line: string): boolean => line.startsWith('cd -- ');

/**
 * Splits a state script into entries; lines that continue a multi-line value or a function body
 * stay with it. A dump is `declare -p` (one line per variable: bash quotes line breaks as
 * $'\n'), then `declare -f`, then the cd line. Function bodies are printed as written, here-doc
 * text included, so inside them only bash's own layout starts an entry: `name () ` on the line
 * after a `}` with `{ ` on the next, and the cd line only as the script's last line. (A here-document
 * holding exactly that layout still reads as two functions: joined again, they source the same.)
 */
export function splitState(text: string): StateEntry[] {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && lines[last] === '') last--;
  const entries: StateEntry[] = [];
  let current: StateEntry | undefined;
  let inFunctions = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isCdLine(line) && (!inFunctions || i === last)) {
      entries.push({ kind: 'cd', name: '', text: line, line: i });
      current = undefined; // the cd line stands alone
      continue;
    }
    const fn = (!inFunctions || lines[i - 1] === '}') && lines[i + 1] === '{ ' ? FUNCTION_START.exec(line) : null;
    const decl = inFunctions ? null : VAR_START.exec(line);
    if (fn) {
      inFunctions = true;
      current = { kind: 'function', name: fn[1], text: line, line: i };
    } else if (decl) current = { kind: 'var', name: decl[1], text: line, line: i };
    else if (current) {
      current.text += `\n${line}`;
      continue;
    } else if (line.trim()) current = { kind: 'other', name: '', text: line, line: i };
    else continue;
    entries.push(current);
  }
  // The script ends with a newline: the last entry must not carry the empty line after it.
  for (const e of entries) e.text = e.text.replace(/\n+$/, '');
  return entries;
}

export function joinState(entries: StateEntry[]): string {
  return entries.map((e) => e.text + '\n').join('');
}

export interface ScrubbedState {
  text: string;
  /** Variables whose values were left out because they are secrets. */
  secrets: string[];
  /** Functions left out because their body holds a secret. */
  secretFunctions: string[];
}

/**
 * What of a state may be written to disk: entries the run started with (the user's own
 * environment) are left out, and so is every secret — by the variable's name or because the
 * redactor would mask something in it. Only the names of the secrets are kept.
 */
export function scrubState(text: string, baseline: ReadonlySet<string>, isSecret: (entry: StateEntry) => boolean): ScrubbedState {
  const kept: StateEntry[] = [];
  const secrets: string[] = [];
  const secretFunctions: string[] = [];
  for (const entry of splitState(text)) {
    if (entry.kind !== 'cd' && baseline.has(entry.text)) continue;
    if (entry.kind !== 'cd' && isSecret(entry)) {
      if (entry.kind === 'var') secrets.push(entry.name);
      else if (entry.kind === 'function') secretFunctions.push(entry.name);
      continue;
    }
    kept.push(entry);
  }
  return { text: joinState(kept), secrets, secretFunctions };
}

/** The directory a state's `cd -- %q` line goes to (bash %q quoting undone), if it has one. */
export function stateDirectory(entries: StateEntry[]): string | undefined {
  const cd = entries.find((e) => e.kind === 'cd');
  if (!cd || cd.text.startsWith("cd -- $'")) return undefined; // a name with control characters: let bash cd
  return cdLineDirectory(cd.text);
}

/** The directory of a `cd -- %q [2>/dev/null]` line, backslash quoting undone (for display, and for cd from Node). */
export function cdLineDirectory(line: string): string {
  return line.replace(/^cd -- /, '').replace(/ 2>\/dev\/null$/, '').replace(/\\(.)/g, '$1');
}
