// The Markdown reader: remark parses the file (GFM, front matter) and we keep, for every fenced
// block and `<!-- runbook: … -->` comment, its exact position, so errors name file:line and
// write-back can splice bytes.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root, RootContent, Code, Html, Heading, Yaml } from 'mdast';
import type { Position } from '../model.ts';
import type { RawBlock } from './steps.ts';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
const DIRECTIVE = /<!--\s*runbook:\s*([\s\S]*?)-->/g;
const CLOSING_FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*\r?$/;

export interface MarkdownScan {
  blocks: RawBlock[];
  frontMatter?: { text: string; firstLine: number };
  bodyStart: number;
  tree: Root;
}

export function parseMarkdownTree(text: string): Root {
  return parser.parse(text) as Root;
}

export function scanMarkdown(text: string, file: string): MarkdownScan {
  const tree = parseMarkdownTree(text);
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
    const closed = lastLineStart > start && CLOSING_FENCE.test(text.slice(lastLineStart, end));
    const bodyEnd = closed ? lastLineStart : end;
    const indent = /^[ \t]*$/.test(prefix) ? prefix : ''; // blockquote-nested fences keep no indent
    const raw = text.slice(bodyStartOffset, Math.max(bodyStartOffset, bodyEnd));
    const code = raw
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
    });
  };

  const pushDirectives = (node: Html): void => {
    const base = node.position!.start.offset!;
    const raw = text.slice(base, node.position!.end.offset!);
    for (const m of raw.matchAll(DIRECTIVE)) {
      const offset = base + m.index!;
      const line = lineOf(text, offset);
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

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function plainText(node: RootContent | Root): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(plainText).join('');
  return '';
}
