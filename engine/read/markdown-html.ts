// CommonMark's HTML blocks (spec §4.6): the seven start conditions and the end conditions of
// the first five. The block scanner asks these about the rest of a line after its indentation.
// Whitespace inside tags is spaces and tabs only, as the spec says (not JavaScript's \s).

const TYPE_1 = /^<(?:pre|script|style|textarea)(?:[ \t>]|$)/i;
const TYPE_6 = new RegExp(
  '^</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \\t>]|/>|$)',
  'i',
);
const TAG_NAME = '[A-Za-z][A-Za-z0-9-]*';
const ATTRIBUTE = `[ \\t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \\t]*=[ \\t]*(?:[^"'=<>\`\\x00-\\x20]+|'[^']*'|"[^"]*"))?`;
// Possessive-like structure: every attribute must start with whitespace and a name character,
// so the repetition cannot split one attribute two ways and backtracking stays linear.
const TYPE_7 = new RegExp(`^(?:<(${TAG_NAME})(?:${ATTRIBUTE})*[ \\t]*/?>|</${TAG_NAME}[ \\t]*>)[ \\t]*$`);
const NOT_TYPE_7 = /^(?:pre|script|style|textarea)$/i;

const END: Record<number, RegExp> = {
  1: /<\/(?:script|pre|textarea|style)>/i,
  2: /-->/,
  3: /\?>/,
  4: />/,
  5: /\]\]>/,
};

/**
 * The HTML block type (1–7) that `rest` (a line from its first non-space character) starts, or
 * 0. Type 7 cannot interrupt a paragraph, so the caller says whether one is open.
 */
export function htmlBlockStart(rest: string, interruptsParagraph: boolean): number {
  if (rest.charCodeAt(0) !== 0x3c /* < */) return 0;
  if (TYPE_1.test(rest)) return 1;
  if (rest.startsWith('<!--')) return 2;
  if (rest.startsWith('<?')) return 3;
  if (/^<![A-Za-z]/.test(rest)) return 4;
  if (rest.startsWith('<![CDATA[')) return 5;
  if (TYPE_6.test(rest)) return 6;
  if (interruptsParagraph) return 0;
  const m = TYPE_7.exec(rest);
  if (m && !(m[1] && NOT_TYPE_7.test(m[1]))) return 7;
  return 0;
}

/** True when `line` (its content after the containers) meets the end condition of a type 1–5 block. */
export function htmlBlockEnds(type: number, line: string): boolean {
  const end = END[type];
  return end !== undefined && end.test(line);
}
