// AsciiDoc's preprocessor conditionals, evaluated the way asciidoctor's reader does before any
// block is parsed: `ifdef::a[]`, `ifdef::a,b[]` (any), `ifdef::a+b[]` (all), `ifndef::…[]`,
// `ifeval::[LHS OP RHS]`, `endif::[]`, and the one-line form `ifdef::a[text]`. Attributes are
// those the document defines (`:name: value`, `:name!:`) above the directive, plus the ones
// asciidoctor always sets when it converts to HTML. Lines inside `////` comment blocks are not
// preprocessed (asciidoctor skips them too). A directive asciidoctor would report as malformed,
// an endif without its if, or an if never ended is refused.
import { RunbookError } from '../errors.ts';

export interface Line {
  text: string; // without its line break
  start: number;
  end: number; // offset of the line break (or end of file)
  number: number; // 1-based
}

const DIRECTIVE = /^(\\)?(ifdef|ifndef|ifeval|endif)::(\S*?(?:([,+])\S*?)?)\[(.+)?\]$/;
const EVAL = /^(.+?) *([=!><]=|[><]) *(.+)$/;
const ATTRIBUTE_ENTRY = /^:(!?[A-Za-z0-9_][^:]*?)(!?):(?:[ \t]+(.*))?$/;
const COMMENT_BLOCK = /^\/{4,}\s*$/;
const VERBATIM = /^(-{4,}|\.{4,}|\+{4,})\s*$|^(`{3,})[^`]*$/;

/** What asciidoctor defines for every HTML conversion (safe mode, as the renderer uses). */
const INTRINSIC: Record<string, string> = {
  asciidoctor: '',
  backend: 'html5',
  'backend-html5': '',
  basebackend: 'html',
  'basebackend-html': '',
  doctype: 'article',
  'doctype-article': '',
  filetype: 'html',
  'filetype-html': '',
  htmlsyntax: 'html',
  outfilesuffix: '.html',
  'safe-mode-name': 'safe',
  'safe-mode-safe': '',
  'safe-mode-level': '1',
  'attribute-missing': 'skip',
  'attribute-undefined': 'drop-line',
  sectids: '',
  'toc-placement': 'auto',
  empty: '',
  sp: ' ',
};

interface Frame {
  target: string;
  skipping: boolean; // the whole region, including what encloses it
  line: number;
}

/** The lines asciidoctor's parser would see: directive lines gone, skipped regions gone. */
export function preprocess(lines: Line[], file: string): Line[] {
  const attributes = new Map(Object.entries(INTRINSIC));
  const stack: Frame[] = [];
  const out: Line[] = [];
  let skipping = false;
  let comment: string | undefined; // delimiter of the comment block we are in
  let verbatim: string | undefined; // delimiter of the listing/literal/passthrough we are in
  let blockStart = true; // where an attribute entry may stand (not inside a paragraph)
  let header = true; // the document header: up to its first blank line
  const fail = (line: Line, message: string, hint: string) => new RunbookError(message, { file, line: line.number, offset: line.start }, undefined, hint);

  for (const line of lines) {
    const text = line.text;
    if (comment) {
      if (!skipping) out.push(line);
      if (text.trimEnd() === comment) comment = undefined;
      continue;
    }
    const directive = text.includes('::') ? DIRECTIVE.exec(text) : null;
    if (directive && !directive[1]) {
      const [, , keyword, rawTarget, delimiter, body] = directive;
      const target = rawTarget.toLowerCase();
      if (keyword === 'endif') {
        if (body !== undefined) throw fail(line, `malformed preprocessor directive: text is not allowed in ${text}`, 'Write endif::[] (or endif::NAME[]) with nothing between the brackets.');
        const open = stack[stack.length - 1];
        if (!open) throw fail(line, `${text} has no ifdef, ifndef or ifeval before it`, 'Remove it, or add the conditional it ends.');
        if (target && target !== open.target) throw fail(line, `mismatched preprocessor directive ${text}: the open conditional (line ${open.line}) expects endif::${open.target}[]`, 'End conditionals in the order they were opened.');
        stack.pop();
        skipping = stack.length ? stack[stack.length - 1].skipping : false;
        continue;
      }
      if (keyword === 'ifeval' ? target !== '' : target === '') {
        if (skipping) {
          // asciidoctor leaves a malformed directive in a skipped region alone (as text)
          continue;
        }
        throw fail(line, `malformed preprocessor directive ${text}`, keyword === 'ifeval' ? 'ifeval takes no name: ifeval::["{backend}" == "html5"][]' : `Name the attribute: ${keyword}::NAME[].`);
      }
      if (skipping) {
        if (body === undefined || keyword === 'ifeval') stack.push({ target, skipping: true, line: line.number });
        continue;
      }
      const skip = keyword === 'ifeval' ? !evaluate(body, attributes, () => fail(line, `cannot evaluate ${text}`, 'ifeval takes LEFT OPERATOR RIGHT, e.g. ifeval::[{sectnumlevels} > 2] or ifeval::["{backend}" == "html5"].')) : !defined(keyword, target, delimiter, attributes);
      if (keyword === 'ifeval' || body === undefined) {
        skipping = skip;
        stack.push({ target, skipping, line: line.number });
      } else if (!skip) {
        out.push({ ...line, text: body.trimEnd() }); // the one-line form stands for its text
      }
      continue;
    }
    if (skipping) continue;
    out.push(line);
    if (verbatim) {
      if (text.trimEnd() === verbatim) verbatim = undefined;
      continue;
    }
    if (COMMENT_BLOCK.test(text)) {
      comment = text.trimEnd();
      continue;
    }
    const opens = VERBATIM.exec(text);
    if (opens) {
      verbatim = (opens[1] ?? opens[2]).trimEnd();
      continue;
    }
    if (text.trim() === '') header = false;
    const entry = blockStart || header ? ATTRIBUTE_ENTRY.exec(text) : null;
    if (entry) {
      const name = entry[1].replace(/^!/, '').toLowerCase();
      if (entry[1].startsWith('!') || entry[2] === '!') attributes.delete(name);
      else attributes.set(name, substitute(entry[3] ?? '', attributes));
      continue;
    }
    // After a blank line, a comment, an attribute line or a section title a new block starts.
    blockStart = text.trim() === '' || /^\/\//.test(text) || /^\[.*\]$/.test(text) || /^(={1,6}|#{1,6})[ \t]+\S/.test(text);
  }
  const open = stack[0];
  if (open) {
    throw new RunbookError(`this conditional is never ended`, { file, line: open.line }, undefined, `Add endif::${open.target}[] where the conditional part ends.`);
  }
  return out;
}

function defined(keyword: string, target: string, delimiter: string | undefined, attributes: Map<string, string>): boolean {
  const names = delimiter ? target.split(delimiter) : [target];
  const has = (n: string) => attributes.has(n);
  if (keyword === 'ifdef') return delimiter === '+' ? names.every(has) : names.some(has);
  // ifndef: with `,` skip if any is defined; with `+` skip only if all are defined
  return delimiter === '+' ? !names.every(has) : !names.some(has);
}

function evaluate(expression: string | undefined, attributes: Map<string, string>, malformed: () => RunbookError): boolean {
  const m = expression ? EVAL.exec(expression.trim()) : null;
  if (!m) throw malformed();
  const lhs = value(m[1], attributes);
  const rhs = value(m[3], attributes);
  // Ruby compares values of one type only; anything else makes asciidoctor skip the block.
  const comparable = lhs === null || rhs === null ? m[2] === '==' || m[2] === '!=' : typeof lhs === typeof rhs;
  if (!comparable) return false;
  switch (m[2]) {
    case '==':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case '<':
      return lhs! < rhs!;
    case '<=':
      return lhs! <= rhs!;
    case '>':
      return lhs! > rhs!;
    default:
      return lhs! >= rhs!;
  }
}

/** asciidoctor's resolve_expr_val: quoted → string, '' → nil, true/false, numbers. */
function value(raw: string, attributes: Map<string, string>): string | number | boolean | null {
  const quoted = raw.length >= 2 && ((raw.startsWith('"') && raw.endsWith('"')) || (raw.startsWith("'") && raw.endsWith("'")));
  let text = quoted ? raw.slice(1, -1) : raw;
  if (text.includes('{')) text = substitute(text, attributes);
  if (quoted) return text;
  if (text === '') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.trim() === '') return ' ';
  if (text.includes('.')) return parseFloat(text) || 0;
  return parseInt(text, 10) || 0;
}

/** `{name}` references replaced by their values; missing ones dropped. */
function substitute(text: string, attributes: Map<string, string>): string {
  return text.replace(/\{([A-Za-z0-9_][\w-]*)\}/g, (_, name: string) => attributes.get(name.toLowerCase()) ?? '');
}
