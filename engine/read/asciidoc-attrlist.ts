// Parses an AsciiDoc block attribute line such as `[source,bash,runbook="run id=deploy"]` into
// positional and named attributes, with AsciiDoc's quoting rules (double or single quotes,
// backslash-escaped quote inside).

export interface AttrList {
  positional: string[];
  named: Record<string, string>;
}

export class AttrListError extends Error {}

/** True for a line that is a block attribute list (not an anchor `[[id]]`, not a blank `[]`). */
export function isAttrListLine(line: string): boolean {
  return /^\[[^\[\]\s].*\]\s*$/.test(line) || /^\[\s*\]\s*$/.test(line);
}

export function isAnchorLine(line: string): boolean {
  return /^\[\[[^\]]+\]\]\s*$/.test(line);
}

export function parseAttrList(line: string): AttrList {
  const inner = line.trimEnd().slice(1, -1);
  const list: AttrList = { positional: [], named: {} };
  let i = 0;
  while (i <= inner.length) {
    while (i < inner.length && inner[i] === ' ') i++;
    const nameMatch = /^([A-Za-z_][\w-]*)\s*=\s*/.exec(inner.slice(i));
    let name: string | undefined;
    if (nameMatch) {
      name = nameMatch[1];
      i += nameMatch[0].length;
    }
    let value = '';
    const quote = inner[i];
    if (quote === '"' || quote === "'") {
      i++;
      while (i < inner.length && inner[i] !== quote) {
        if (inner[i] === '\\' && inner[i + 1] === quote) i++;
        value += inner[i++];
      }
      if (i >= inner.length) throw new AttrListError(`unterminated ${quote} quote in ${line.trim()}`);
      i++;
      while (i < inner.length && inner[i] === ' ') i++;
      if (i < inner.length && inner[i] !== ',') throw new AttrListError(`unexpected text after a quoted value in ${line.trim()}`);
    } else {
      while (i < inner.length && inner[i] !== ',') value += inner[i++];
      value = value.trim();
    }
    if (name !== undefined) list.named[name] = value;
    else list.positional.push(value);
    if (i >= inner.length) break;
    i++; // the comma
  }
  return list;
}

/** The block style without its `#id`, `.role` and `%option` shorthands: `source%linenums` → `source`. */
export function blockStyle(list: AttrList): string {
  return (list.positional[0] ?? '').replace(/[#.%].*$/, '').trim();
}
