// Writing AsciiDoc that means exactly what the source text says. Prose from Markdown may hold
// characters that AsciiDoc reads as markup (`*`, `_`, `{attr}`, `[`, `term::`, a line starting
// with `* `); those are written as numeric character references, which every AsciiDoc processor
// (and GitHub) shows as the plain character and never as markup.

const ref = (ch: string) => `&#${ch.codePointAt(0)};`;
const WORD = /[\p{L}\p{N}_]/u;

/** Marks that format text when they stand at a word boundary (`*bold*`) or come doubled (`**x**`). */
const BOUNDARY_MARKS = new Set(['*', '_', '`', '#', '+']);
/** Characters that are markup wherever they stand. */
const ALWAYS = new Set(['^', '~', '{', '}', '[', ']', '\\']);

export interface EscapeOptions {
  /** Inside a table cell, `|` starts the next cell. */
  inTable?: boolean;
}

/**
 * Escapes one line of prose (no line breaks) for AsciiDoc inline content. `before` and `after`
 * are the characters around it in the final text, so boundary marks are judged correctly.
 */
export function escapeInline(text: string, before = '', after = '', options: EscapeOptions = {}): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const prev = i > 0 ? chars[i - 1] : before;
    const next = i + 1 < chars.length ? chars[i + 1] : after;
    if (ALWAYS.has(ch) || (options.inTable && ch === '|')) out += ref(ch);
    else if (BOUNDARY_MARKS.has(ch) && (prev === ch || next === ch || !WORD.test(prev || ' ') || !WORD.test(next || ' '))) out += ref(ch);
    else if ((ch === '<' && next === '<') || (ch === '(' && next === '(')) out += ref(ch);
    else if ((ch === ':' || ch === ';') && (next === ch || prev === ch) && endsTerm(chars, i, after)) out += ref(ch);
    else out += ch;
  }
  return out;
}

/**
 * `term::`, `term;;` (a description list) when the run of marks ends the word. Every mark of the
 * run is escaped: `&#59;;` would still read as `;;` to AsciiDoc.
 */
function endsTerm(chars: string[], i: number, after: string): boolean {
  let j = i;
  while (j < chars.length && chars[j] === chars[i]) j++;
  const follow = j < chars.length ? chars[j] : after;
  return !follow || /\s/.test(follow);
}

/** Ordered list markers: `1. `, `a. `, `iv) `. */
const ORDERED_MARKER = /^(?:\d+|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)([.)])[ \t]/;
/** Other line starts AsciiDoc reads as block syntax (lists, titles, comments, admonitions, breaks). */
const BLOCK_START = /^(?:[-*.]+[ \t]|(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION):[ \t]|\/\/|<(?:\d+|\.)>[ \t]|[=.:|']|-{2,}|`{3})/;

/** Makes a line of escaped prose unable to start a block: its marker becomes a character reference. */
function guardLineStart(line: string): string {
  const trimmed = line.replace(/^[ \t]+/, '');
  const ordered = ORDERED_MARKER.exec(trimmed);
  if (ordered) {
    const at = ordered[0].length - 2;
    return trimmed.slice(0, at) + ref(ordered[1]) + trimmed.slice(at + 1);
  }
  if (!BLOCK_START.test(trimmed)) return trimmed;
  const first = [...trimmed][0];
  return ref(first) + trimmed.slice(first.length);
}

/** Applies guardLineStart to every line of a multi-line paragraph. */
export function guardLines(text: string): string {
  return text
    .split('\n')
    .map((line) => guardLineStart(line))
    .join('\n');
}

/** A listing delimiter longer than any line of the body that could close it. */
export function listingDelimiter(body: string, char = '-'): string {
  let length = 4;
  for (const line of body.split('\n')) {
    const t = line.trimEnd();
    if (t.length >= length && [...t].every((c) => c === char)) length = t.length + 1;
  }
  return char.repeat(length);
}

/** A delimited listing block, with an optional title and attribute line. */
export function listing(body: string, options: { style?: string; title?: string } = {}): string {
  const delimiter = listingDelimiter(body);
  const lines: string[] = [];
  if (options.title) lines.push(`.${options.title}`);
  const attrs = [options.style].filter(Boolean) as string[];
  // A line ending in <1> would become a callout; outputs and commands mean it literally.
  if (/<(\d+|\.)>\s*$/m.test(body)) attrs.push('subs="-callouts"');
  if (attrs.length) lines.push(`[${attrs.join(',')}]`);
  lines.push(delimiter, body, delimiter);
  return lines.join('\n');
}

/** A value for an attribute list: quoted when it holds a comma, quote, `=` or `]`. */
export function attrValue(value: string): string {
  if (!/[,"=\]\s]/.test(value) && value !== '') return value;
  return `"${value.replace(/"/g, '\\"')}"`;
}

/** What goes between backticks for literal monospace: `+text+` passes text through untouched; pass:c[] when it holds `+`. */
export function literalContent(code: string): string {
  const oneLine = code.replace(/\n/g, ' ');
  if (!/[+\\]/.test(oneLine) && !/^\s|\s$/.test(oneLine)) return `+${oneLine}+`;
  return `pass:c[${oneLine.replace(/]/g, '\\]')}]`;
}

/** Literal monospace for a value inside prose (a URL or path, never autolinked or formatted). */
export function monospace(code: string): string {
  return `\`${literalContent(code)}\``;
}
