// The Markdown reader: the CommonMark block scanner (markdown-blocks.ts) finds headings, fenced
// blocks and HTML blocks with their exact offsets, and this turns them into the raw blocks steps
// are built from, so errors name file:line and write-back can splice bytes. Constructs that
// would swallow the rest of the file (a fence or comment never closed) are refused here.
import type { Position } from '../model.ts';
import { RunbookError } from '../errors.ts';
import type { RawBlock } from './steps.ts';
import { codeContent, consumeBlocks, MAX_NESTING, NestingError, scanBlocks, splitInfo, type Block } from './markdown-blocks.ts';
import { findFrontMatter, lineEnd } from './front-matter.ts';
import { headingText } from './heading-text.ts';

const DIRECTIVE = /<!--\s*runbook:\s*([\s\S]*?)-->/g;
const DIRECTIVE_START = /<!--\s*runbook:/g;
const HTML_END: Record<number, string> = { 1: 'the matching </pre>, </script>, </style> or </textarea>', 2: '-->', 3: '?>', 4: '>', 5: ']]>' };

export interface MarkdownScan {
  blocks: RawBlock[];
  frontMatter?: { text: string; firstLine: number };
  bodyStart: number;
  /** Problems found while scanning (every one is reported, nothing runs). */
  errors: RunbookError[];
}

/** Offset where the Markdown of `text` starts (after a UTF-8 byte order mark). */
export function contentStart(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/** The block tree of a Markdown file: front matter skipped, nesting capped. */
export function markdownTree(text: string, file: string): { tree: Block; frontMatter?: ReturnType<typeof findFrontMatter> } {
  const start = contentStart(text);
  const frontMatter = findFrontMatter(text, start, file);
  try {
    return { tree: scanBlocks(text, frontMatter?.bodyOffset ?? start, frontMatter?.bodyLine ?? 1), frontMatter };
  } catch (e) {
    if (!(e instanceof NestingError)) throw e;
    throw new RunbookError(
      `lists and block quotes nested more than ${MAX_NESTING} deep`,
      { file, line: e.line },
      undefined,
      'The reader refuses deeper nesting (no tutorial needs it); flatten the lists or quotes.',
    );
  }
}

export function scanMarkdown(text: string, file: string): MarkdownScan {
  const { tree, frontMatter } = markdownTree(text, file);
  const blocks: RawBlock[] = [];
  const errors: RunbookError[] = [];
  const eol: '\n' | '\r\n' = text.includes('\r\n') ? '\r\n' : '\n';
  const definitions = tree.definitions ?? [];

  // The tree is this scan's own: each block is let go once it has been turned into raw blocks.
  consumeBlocks(tree, (block) => {
    switch (block.type) {
      case 'heading':
        inlineDirectives(block, file, errors);
        blocks.push({ type: 'heading', depth: block.level!, text: headingText(block, definitions), line: block.line });
        return;
      case 'paragraph':
        inlineDirectives(block, file, errors);
        return;
      case 'code':
        if (block.fenced) blocks.push(fence(text, block, file, eol));
        return;
      case 'html':
        blocks.push(...directives(text, block, file, errors));
        return;
    }
  });
  return {
    errors,
    blocks,
    frontMatter: frontMatter && { text: frontMatter.text, firstLine: frontMatter.firstLine },
    bodyStart: frontMatter?.end ?? 0,
  };
}

function fence(text: string, block: Block, file: string, eol: '\n' | '\r\n'): RawBlock {
  const lineStart = block.lineStart;
  const position: Position = { file, line: block.line, column: block.offset - lineStart + 1, offset: block.offset };
  const { lang, meta } = splitInfo(block);
  const bodyStart = lineEnd(text, block.offset).next;
  const bodyEnd = block.endedBy === 'fence' ? block.closeLineStart! : endOfContent(text, block);
  let quoted = false;
  for (let b = block.parent; b && !quoted; b = b.parent) quoted = b.type === 'block_quote';
  const prefix = lineStart === block.offset ? '' : text.slice(lineStart, block.offset);
  return {
    type: 'fence',
    lang,
    info: meta,
    position,
    code: codeContent(block).replace(/\n$/, ''),
    codeLine: block.line + 1,
    body: { start: Math.min(bodyStart, bodyEnd), end: bodyEnd },
    indent: quoted ? '' : prefix === '' || /^[ \t]*$/.test(prefix) ? prefix : continuationIndent(block),
    eol,
    quoted,
    unclosed: block.endedBy === 'fence' ? undefined : unclosed(block),
  };
}

/** Why a fence has no closing line, for the error the step builder gives. */
function unclosed(block: Block): { fence: string; endLine: number; container?: string } {
  const fence = block.fenceChar!.repeat(block.fenceLength!);
  if (block.endedBy === 'eof') return { fence, endLine: block.endLine };
  const container = ancestors(block).find((b) => b.type === 'item' || b.type === 'block_quote');
  return { fence, endLine: block.endLine + 1, container: container?.type === 'block_quote' ? 'block quote' : 'list item' };
}

/** Spaces that put a line where a fence opened on a list item's marker line has its content. */
function continuationIndent(block: Block): string {
  let columns = block.fenceOffset ?? 0;
  for (const b of ancestors(block)) if (b.type === 'item') columns += b.list!.markerOffset + b.list!.padding;
  return ' '.repeat(columns);
}

function ancestors(block: Block): Block[] {
  const out: Block[] = [];
  for (let b = block.parent; b; b = b.parent) out.push(b);
  return out;
}

/** Offset just past the last content line of a block (its line break included). */
function endOfContent(text: string, block: Block): number {
  const last = block.lineOffsets[block.lineOffsets.length - 1] ?? block.offset;
  return lineEnd(text, last).next;
}

/** `<!-- runbook: … -->` comments in an HTML block; an opened but never closed one is refused. */
function directives(text: string, block: Block, file: string, errors: RunbookError[]): RawBlock[] {
  const base = block.offset;
  const last = block.lineOffsets[block.lineOffsets.length - 1] ?? base;
  const raw = text.slice(base, lineEnd(text, last).end);
  const lineOf = (index: number) => block.line + (raw.slice(0, index).match(/\r\n|\r|\n/g)?.length ?? 0);
  const found: RawBlock[] = [];
  const covered = new Set<number>();
  let reported = false;
  for (const m of raw.matchAll(DIRECTIVE)) {
    const offset = base + m.index!;
    covered.add(m.index!);
    found.push({ type: 'directive', text: m[1].trim(), position: { file, line: lineOf(m.index!), offset }, span: { start: offset, end: offset + m[0].length } });
  }
  for (const m of raw.matchAll(DIRECTIVE_START)) {
    if (covered.has(m.index!)) continue;
    reported = true;
    errors.push(
      new RunbookError('this <!-- runbook: comment is never closed', { file, line: lineOf(m.index!), offset: base + m.index! }, undefined, 'End the directive with --> on the same or a later line; until then it would hide what follows it.'),
    );
  }
  if (block.htmlType! <= 5 && !block.htmlClosed && endsAtEof(block) && !reported) {
    errors.push(
      new RunbookError(
        `this HTML ${block.htmlType === 2 ? 'comment' : 'block'} is never closed: it runs to the end of the file and hides everything after it`,
        { file, line: block.line, offset: base },
        undefined,
        `End it with ${HTML_END[block.htmlType!]}.`,
      ),
    );
  }
  return found;
}

function endsAtEof(block: Block): boolean {
  let root = block;
  while (root.parent) root = root.parent;
  return block.endLine === root.endLine;
}

/**
 * A directive belongs on a line of its own (an HTML block); inside a paragraph or heading it
 * would depend on inline parsing, so it is refused rather than silently run or dropped.
 */
function inlineDirectives(block: Block, file: string, errors: RunbookError[]): void {
  for (let i = 0; i < block.lines.length; i++) {
    const line = block.lines[i];
    if (!line.includes('<!--') || !/<!--\s*runbook:/.test(line)) continue;
    // Code spans (`<!-- runbook: … -->` shown as an example) are no directives; long lines are
    // judged as they are, so the approximation stays linear.
    if (line.length < 10_000 && !/<!--\s*runbook:/.test(line.replace(/(`+)[\s\S]*?\1/g, ''))) continue;
    errors.push(
      new RunbookError(
        'a <!-- runbook: … --> directive inside a paragraph or heading',
        { file, line: (block.contentLine ?? block.line) + i, offset: block.lineOffsets[i] },
        undefined,
        'Put the directive at the start of a line of its own, e.g. after a blank line.',
      ),
    );
  }
}
