// A reader's view of shell variables in a sequence of pasted commands: which `$NAME`s a command
// expands, and which names commands set (`NAME=`, `export NAME=`, `for NAME in`, `read NAME`).
// A rough lexer, good enough for the tutorial's commands: it skips single-quoted text (awk
// programs, jsonpath), `$((…))` arithmetic names, positional and special parameters, and
// `${NAME:-default}` (which copes with an unset NAME by itself).

export interface VariableUse {
  name: string;
  /** Index of the command (listing) that uses it. */
  command: number;
}

const SPECIAL = /^[0-9?#$!@*-]/;

/** Names expanded by `code`, outside single quotes. */
export function expandedNames(code: string): string[] {
  const names: string[] = [];
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (quote !== "'" && ch === '\\') {
      i++;
      continue;
    }
    if (quote === '' && ch === '#' && (i === 0 || /\s/.test(code[i - 1]))) {
      const eol = code.indexOf('\n', i);
      i = eol === -1 ? code.length : eol;
      continue;
    }
    if (ch === "'" && quote !== '"') {
      quote = quote === "'" ? '' : "'";
      continue;
    }
    if (ch === '"' && quote !== "'") {
      quote = quote === '"' ? '' : '"';
      continue;
    }
    if (quote === "'" || ch !== '$') continue;
    const rest = code.slice(i + 1);
    if (rest.startsWith('(') || SPECIAL.test(rest)) continue;
    const braced = /^\{([A-Za-z_]\w*)(:?[-=?+])?/.exec(rest);
    if (braced) {
      if (!braced[2]) names.push(braced[1]);
      continue;
    }
    const bare = /^[A-Za-z_]\w*/.exec(rest);
    if (bare) names.push(bare[0]);
  }
  return names;
}

/** Names `code` assigns. */
export function assignedNames(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:^|[\s;&|(`])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)=/gm)) names.add(m[1]);
  for (const m of code.matchAll(/\bexport((?:\s+[A-Za-z_]\w*=\S*)+)/g)) for (const a of m[1].matchAll(/([A-Za-z_]\w*)=/g)) names.add(a[1]);
  for (const m of code.matchAll(/\bfor\s+([A-Za-z_]\w*)\s+in\b/g)) names.add(m[1]);
  for (const m of code.matchAll(/\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*)/g)) for (const n of m[1].split(/\s+/)) names.add(n);
  return [...names];
}

/** Uses of names that no earlier command (nor the same one) set and that are not predefined. */
export function unsetVariableUses(commands: string[], predefined: Iterable<string>): VariableUse[] {
  const known = new Set(predefined);
  const unset: VariableUse[] = [];
  commands.forEach((code, command) => {
    const here = assignedNames(code);
    for (const name of expandedNames(code)) {
      if (!known.has(name) && !here.includes(name)) unset.push({ name, command });
    }
    for (const name of here) known.add(name);
  });
  return unset;
}
