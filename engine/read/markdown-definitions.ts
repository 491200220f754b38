// The two inline-level rules the block scanner cannot do without: link reference definitions
// (spec §4.7), which a paragraph sheds before it can become a setext heading, and backslash
// escapes and character references in fence info strings (spec §2.4, §2.5).
import { decodeNamedCharacterReference } from 'decode-named-character-reference';

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const ESCAPE_OR_REFERENCE = /\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])|&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/** Backslash escapes and entity/numeric character references resolved, as in an info string. */
export function unescapeString(text: string): string {
  if (!text.includes('\\') && !text.includes('&')) return text;
  return text.replace(ESCAPE_OR_REFERENCE, (whole, escaped: string | undefined, reference: string | undefined) => {
    if (escaped !== undefined) return escaped;
    const ref = reference!;
    if (ref[0] !== '#') {
      const decoded = decodeNamedCharacterReference(ref);
      return decoded === false ? whole : decoded;
    }
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
    return String.fromCodePoint(code);
  });
}

/**
 * Length of the link reference definition at the start of `text` (a paragraph's raw content),
 * or 0 when it does not start with one.
 */
export function referenceDefinitionLength(text: string): number {
  if (text.charCodeAt(0) !== 0x5b /* [ */) return 0;
  let pos = labelEnd(text);
  if (pos === 0 || text[pos] !== ':') return 0;
  const label = text.slice(1, pos - 1);
  if (label.trim() === '') return 0;
  pos = skipSpaceAndOneNewline(text, pos + 1);
  const destinationEnd = destinationLength(text, pos);
  if (destinationEnd < 0) return 0;
  pos = destinationEnd;
  const beforeTitle = pos;
  pos = skipSpaceAndOneNewline(text, pos);
  let titleEnd = -1;
  if (pos !== beforeTitle) titleEnd = titleLength(text, pos);
  if (titleEnd >= 0) {
    const end = atLineEnd(text, titleEnd);
    if (end >= 0) return end;
  }
  // Without a (valid) title, the definition must end with its destination's line.
  const end = atLineEnd(text, beforeTitle);
  return end >= 0 ? end : 0;
}

/** Offset just past `]` of a link label at offset 0, or 0 (at most 999 characters inside). */
function labelEnd(text: string): number {
  for (let i = 1; i < text.length && i <= 1000; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) i++;
    else if (c === '[') return 0;
    else if (c === ']') return i + 1;
  }
  return 0;
}

function skipSpaceAndOneNewline(text: string, pos: number): number {
  while (text[pos] === ' ' || text[pos] === '\t') pos++;
  if (text[pos] === '\n') {
    pos++;
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
  }
  return pos;
}

/** Offset past the link destination at `pos`, or -1. */
function destinationLength(text: string, pos: number): number {
  if (text[pos] === '<') {
    for (let i = pos + 1; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) i++;
      else if (c === '>') return i + 1;
      else if (c === '<' || c === '\n') return -1;
    }
    return -1;
  }
  let depth = 0;
  let i = pos;
  for (; i < text.length; i++) {
    const c = text[i];
    const code = c.charCodeAt(0);
    if (c === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) i++;
    else if (c === '(') {
      depth++;
      if (depth > 32) return -1;
    } else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (code <= 0x20 || code === 0x7f) break;
  }
  if (i === pos || depth !== 0) return -1;
  return i;
}

/** Offset past a link title at `pos` ("…", '…' or (…)), or -1. */
function titleLength(text: string, pos: number): number {
  const open = text[pos];
  const close = open === '(' ? ')' : open;
  if (open !== '"' && open !== "'" && open !== '(') return -1;
  for (let i = pos + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) i++;
    else if (c === close) return i + 1;
    else if (open === '(' && c === '(') return -1;
  }
  return -1;
}

/** Offset past the line end when only spaces/tabs follow `pos` on its line, else -1. */
function atLineEnd(text: string, pos: number): number {
  while (text[pos] === ' ' || text[pos] === '\t') pos++;
  if (pos === text.length) return pos;
  if (text[pos] === '\n') return pos + 1;
  return -1;
}
