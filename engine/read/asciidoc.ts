// The AsciiDoc reader: a line scanner that finds section titles, `[source,LANG,runbook="…"]`
// listings and `// runbook: VERB …` comments, and keeps exact offsets so errors name file:line
// and write-back splices only the body between the `----` lines. It follows AsciiDoc's block
// structure closely enough for that: verbatim blocks (listing, literal, passthrough, comment,
// fenced) hide their content, compound blocks (example, sidebar, quote, open, tables) do not.
// Settings never come from the file itself: an .adoc runbook takes them from runbook.yaml.
import type { Position, Span } from '../model.ts';
import { RunbookError } from '../errors.ts';
import type { RawBlock } from './steps.ts';
import { AttrListError, blockStyle, isAnchorLine, isAttrListLine, parseAttrList } from './asciidoc-attrlist.ts';
import { preprocess, type Line } from './asciidoc-conditionals.ts';

/** Where a block the reader found stands in the file, as a whole (attribute lines to closing delimiter). */
export interface AsciidocRegion {
  block: RawBlock;
  span: Span; // from the first attribute/title line to the end of the closing delimiter line (its line break excluded)
}

export interface AsciidocScan {
  blocks: RawBlock[];
  bodyStart: number;
  frontMatter?: undefined;
  regions: AsciidocRegion[];
  /** Block image macros (`image::TARGET[…]`) outside verbatim blocks: the renderer rewrites their paths. */
  images: { line: number; target: Span }[];
}

const VERBATIM = /^(-{4,}|\.{4,}|\+{4,}|\/{4,})\s*$/;
const FENCED = /^(`{3,})[^`]*$/;
const COMPOUND = /^(={4,}|\*{4,}|_{4,}|--)\s*$/;
const TABLE = /^[|,:!]={3,}\s*$/;
const SECTION = /^(={1,6}|#{1,6})[ \t]+(\S.*?)(?:[ \t]+\1)?[ \t]*$/;
const BLOCK_TITLE = /^\.[^\s.]/;
const COMMENT = /^\/\/(?!\/)/;
const DIRECTIVE = /^\/\/[ \t]*runbook:[ \t]*(.*?)[ \t]*$/;
const IMAGE_MACRO = /^image::([^\s\[]+)\[/;

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte order mark is no text
  let number = 1;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const lineEnd = nl === -1 ? text.length : nl;
    const end = lineEnd > start && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    lines.push({ text: text.slice(start, end), start, end, number });
    if (nl === -1) break;
    start = nl + 1;
    number++;
  }
  return lines;
}

/** Attribute lines, block titles and anchors waiting for the block they belong to. */
interface Pending {
  start: number;
  runbook?: { info: string; lang: string; position: Position };
  lang: string;
}

export function scanAsciidoc(text: string, file: string): AsciidocScan {
  const lines = preprocess(splitLines(text), file);
  const eol: '\n' | '\r\n' = text.includes('\r\n') ? '\r\n' : '\n';
  const blocks: RawBlock[] = [];
  const regions: AsciidocRegion[] = [];
  const images: AsciidocScan['images'] = [];
  const open: string[] = []; // compound delimiters currently open
  let pending: Pending | undefined;
  const at = (line: Line): Position => ({ file, line: line.number, column: 1, offset: line.start });

  const requireListing = (what: string, line: Line): void => {
    if (pending?.runbook) {
      throw new RunbookError(
        `the runbook block at line ${pending.runbook.position.line} is followed by ${what}, not a ---- listing`,
        pending.runbook.position,
        undefined,
        `Put the listing right under the attribute line: [source,bash,runbook="run"], then ----, the commands, ---- (see line ${line.number}).`,
      );
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const content = line.text;
    const verbatim = VERBATIM.exec(content) ?? FENCED.exec(content);
    if (verbatim) {
      const delimiter = verbatim[1];
      const close = findClosing(lines, i + 1, delimiter);
      if (pending?.runbook && delimiter[0] !== '-') requireListing(`a "${delimiter}" block`, line);
      if (close === -1) {
        const where = pending?.runbook?.position ?? at(line);
        throw new RunbookError(`the block opened with "${delimiter}" at line ${line.number} is never closed`, where, undefined, `End it with a line that is exactly "${delimiter}".`);
      }
      if (pending?.runbook) {
        const bodyStart = lines[i + 1].start;
        const bodyEnd = close === i + 1 ? bodyStart : lines[close].start;
        const body = lines.slice(i + 1, close);
        const filtered = lines[close].number - line.number !== close - i;
        if (filtered && /(^|\s)(output|expect-output)(\s|$)/.test(pending.runbook.info)) {
          throw new RunbookError(
            'an output block with preprocessor conditionals (ifdef/ifndef/ifeval) inside it',
            pending.runbook.position,
            undefined,
            'Write-back replaces the whole body; put the conditional around the block instead.',
          );
        }
        const block: RawBlock = {
          type: 'fence',
          lang: pending.runbook.lang,
          info: pending.runbook.info,
          position: pending.runbook.position,
          code: filtered ? body.map((l) => l.text).join('\n') : text.slice(bodyStart, bodyEnd).replace(/\r\n/g, '\n').replace(/\n$/, ''),
          codeLine: filtered ? undefined : line.number + 1,
          body: { start: bodyStart, end: bodyEnd },
          indent: '',
          eol,
        };
        blocks.push(block);
        regions.push({ block, span: { start: pending.start, end: lines[close].end } });
      }
      pending = undefined;
      i = close;
      continue;
    }
    if (TABLE.test(content)) {
      requireListing(`a "${content.trim()}" table`, line);
      i = skipTable(lines, i, file);
      pending = undefined;
      continue;
    }
    if (COMPOUND.test(content)) {
      requireListing(`a "${content.trim()}" block`, line);
      const delimiter = content.trim();
      if (open[open.length - 1] === delimiter) open.pop();
      else open.push(delimiter);
      pending = undefined;
      continue;
    }
    if (COMMENT.test(content)) {
      const directive = DIRECTIVE.exec(content);
      if (directive) {
        requireListing('a directive', line);
        const block: RawBlock = { type: 'directive', text: directive[1], position: { file, line: line.number, offset: line.start }, span: { start: line.start, end: line.end } };
        blocks.push(block);
        regions.push({ block, span: block.span });
      }
      continue; // comments between an attribute line and its block are allowed, as in AsciiDoc
    }
    if (isAttrListLine(content) || isAnchorLine(content) || BLOCK_TITLE.test(content)) {
      pending ??= { start: line.start, lang: '' };
      if (isAttrListLine(content)) takeAttributes(pending, content, at(line));
      continue;
    }
    if (content.trim() === '') {
      requireListing('a blank line', line);
      pending = undefined;
      continue;
    }
    requireListing('text', line);
    pending = undefined;
    const section = open.length === 0 ? SECTION.exec(content) : null;
    if (section) {
      const block: RawBlock = { type: 'heading', depth: section[1].length, text: section[2], line: line.number };
      blocks.push(block);
      regions.push({ block, span: { start: line.start, end: line.end } });
    }
    const image = IMAGE_MACRO.exec(content);
    if (image) images.push({ line: line.number, target: { start: line.start + 7, end: line.start + 7 + image[1].length } });
  }
  if (pending?.runbook) requireListing('the end of the file', lines[lines.length - 1]);
  return { blocks, bodyStart: 0, regions, images };
}

/**
 * A table's cells are text, not blocks (only an `a|` cell holds AsciiDoc, which no step may
 * use): a `----` in a cell opens no listing. asciidoctor ends a table at the first line equal to
 * its delimiter. Returns the index of that line.
 */
function skipTable(lines: Line[], open: number, file: string): number {
  const delimiter = lines[open].text.trimEnd();
  for (let j = open + 1; j < lines.length; j++) {
    const t = lines[j].text;
    if (t.trimEnd() === delimiter) return j;
    if (DIRECTIVE.test(t) || (isAttrListLine(t) && /runbook\s*=/.test(t))) {
      throw new RunbookError(
        `a runbook ${DIRECTIVE.test(t) ? 'directive' : 'block'} inside the table opened at line ${lines[open].number}`,
        { file, line: lines[j].number, offset: lines[j].start },
        undefined,
        'Steps cannot live in table cells; move it out of the table.',
      );
    }
  }
  throw new RunbookError(`the table opened with "${delimiter}" at line ${lines[open].number} is never closed`, { file, line: lines[open].number, offset: lines[open].start }, undefined, `End it with a line that is exactly "${delimiter}".`);
}

function findClosing(lines: Line[], from: number, delimiter: string): number {
  const fenced = delimiter[0] === '`';
  for (let j = from; j < lines.length; j++) {
    const t = lines[j].text.trimEnd();
    if (fenced ? /^`{3,}$/.test(t) && t.length === delimiter.length : t === delimiter) return j;
  }
  return -1;
}

function takeAttributes(pending: Pending, content: string, position: Position): void {
  let list;
  try {
    list = parseAttrList(content);
  } catch (e) {
    if (!(e instanceof AttrListError)) throw e;
    throw new RunbookError(e.message, position, undefined, 'Quote the runbook attribute: [source,bash,runbook="run id=deploy timeout=5m"].');
  }
  const style = blockStyle(list);
  if (style === 'source' || (style === '' && list.positional.length > 1)) pending.lang = list.positional[1]?.trim() ?? '';
  if ('runbook' in list.named) {
    if (pending.runbook) {
      throw new RunbookError(`a second runbook attribute for the same block (first at line ${pending.runbook.position.line})`, position, undefined, 'Give each block one runbook="…" attribute.');
    }
    pending.runbook = { info: list.named.runbook, lang: '', position };
  }
  if (pending.runbook) pending.runbook.lang = pending.lang;
}
