// The Markdown reader: remark parses the file (GFM, front matter) and we keep, for every fenced
// block and `<!-- runbook: … -->` comment, its exact position, so errors name file:line and
// write-back can splice bytes.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root, RootContent, Code, Html, Heading, Yaml } from 'mdast';
import type { Position } from '../model.ts';
import type { RawBlock } from './steps.ts';
import { closesFence, fenceOpening, isClosingFence } from './fences.ts';

// GFM is left out on purpose: it does not change how fences, comments and headings parse, and its
// autolink scanning roughly doubles parse time. The renderer parses prose with GFM.
const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
const DIRECTIVE = /<!--\s*runbook:\s*([\s\S]*?)-->/g;

export interface MarkdownScan {
  blocks: RawBlock[];
  frontMatter?: { text: string; firstLine: number };
  bodyStart: number;
  tree: Root;
}

export function parseMarkdownTree(text: string): Root {
  return parser.parse(text) as Root;
}

/**
 * Offsets where the document can be cut into independent parts for parsing: before ATX
 * headings at column 0 that are not inside a fence or an HTML comment. Parsing a long runbook
 * section by section keeps micromark's event lists short; a single pass over a 10,000-step
 * document spends most of its time in garbage collection and array splicing.
 */
export function sectionStarts(text: string): number[] {
  const starts = [0];
  let fence: string | null = null;
  let inComment = false;
  // Front matter is YAML, where `#` starts a comment: never cut inside it.
  const frontMatter = /^---\r?\n[\s\S]*?\n---[ \t]*(\r?\n|$)/.exec(text);
  let offset = frontMatter ? frontMatter[0].length : 0;
  for (const line of text.slice(offset).split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    if (fence) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = fenceOpening(line);
    if (open) {
      fence = open;
      continue;
    }
    if (/^ {0,3}<!--/.test(line) && !line.includes('-->')) {
      inComment = true;
      continue;
    }
    if (/^#{1,6}(\s|$)/.test(line) && lineStart > 0) starts.push(lineStart);
  }
  return starts;
}

export function scanMarkdown(text: string, file: string): MarkdownScan {
  const starts = sectionStarts(text);
  const lineStarts = lineIndex(text);
  const tree: Root = { type: 'root', children: [] };
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const part = parseMarkdownTree(text.slice(start, end));
    const baseLine = lineAt(lineStarts, start) - 1;
    shiftPositions(part, start, baseLine);
    tree.children.push(...part.children);
  });
  const blocks: RawBlock[] = [];
  const eol: '\n' | '\r\n' = text.includes('\r\n') ? '\r\n' : '\n';
  let frontMatter: MarkdownScan['frontMatter'];
  let bodyStart = 0;

  const visit = (node: Root | RootContent): void => {
    switch (node.type) {
      case 'yaml': {
        const y = node as Yaml;
        frontMatter = { text: y.value, firstLine: (y.position?.start.line ?? 1) + 1 };
        bodyStart = y.position?.end.offset ?? 0;
        return;
      }
      case 'heading':
        blocks.push({ type: 'heading', depth: (node as Heading).depth, text: plainText(node), line: node.position!.start.line });
        break;
      case 'code':
        pushFence(node as Code);
        return;
      case 'html':
        pushDirectives(node as Html);
        return;
    }
    if ('children' in node) for (const child of node.children as RootContent[]) visit(child);
  };

  const pushFence = (node: Code): void => {
    const start = node.position!.start.offset!;
    const end = node.position!.end.offset!;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const opening = text.slice(start, start + 3);
    if (opening !== '```' && opening !== '~~~') return; // indented code: documentation
    const prefix = text.slice(lineStart, start);
    const position: Position = { file, line: node.position!.start.line, column: node.position!.start.column, offset: start };
    const openEnd = text.indexOf('\n', start);
    const bodyStartOffset = openEnd === -1 ? end : Math.min(openEnd + 1, end);
    // The body ends where the closing fence line starts (or at the node's end when unclosed).
    const lastLineStart = text.lastIndexOf('\n', end - 1) + 1;
    const closed = lastLineStart > start && isClosingFence(text.slice(lastLineStart, end));
    const bodyEnd = closed ? lastLineStart : end;
    // A fence inside a block quote (`> ```bash run`) has a container prefix on every line;
    // such blocks are refused as steps (see steps.ts), so only whitespace indents are kept.
    const quoted = !/^[ \t]*$/.test(prefix);
    const indent = quoted ? '' : prefix;
    const raw = text.slice(bodyStartOffset, Math.max(bodyStartOffset, bodyEnd));
    const code = quoted
      ? (node.value ?? '')
      : raw
      .replace(/\r\n/g, '\n')
      .split('\n')
      .map((l) => (indent && l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n')
      .replace(/\n$/, '');
    blocks.push({
      type: 'fence',
      lang: node.lang ?? '',
      info: node.meta ?? '',
      position,
      code,
      body: { start: bodyStartOffset, end: Math.max(bodyStartOffset, bodyEnd) },
      indent,
      eol,
      quoted,
    });
  };

  const pushDirectives = (node: Html): void => {
    const base = node.position!.start.offset!;
    const raw = text.slice(base, node.position!.end.offset!);
    for (const m of raw.matchAll(DIRECTIVE)) {
      const offset = base + m.index!;
      const line = lineAt(lineStarts, offset);
      blocks.push({
        type: 'directive',
        text: m[1].trim(),
        position: { file, line, offset },
        span: { start: offset, end: offset + m[0].length },
      });
    }
  };

  visit(tree);
  return { blocks, frontMatter, bodyStart, tree };
}

/** Offsets where each line starts, for line lookups by binary search. */
export function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of an offset. */
export function lineAt(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Moves the positions of a part's nodes to where the part sits in the whole file. */
function shiftPositions(node: Root | RootContent, offset: number, lines: number): void {
  if (node.position) {
    for (const point of [node.position.start, node.position.end]) {
      point.line += lines;
      if (point.offset !== undefined) point.offset += offset;
    }
  }
  if ('children' in node) for (const child of node.children as RootContent[]) shiftPositions(child, offset, lines);
}

function plainText(node: RootContent | Root): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(plainText).join('');
  return '';
}
