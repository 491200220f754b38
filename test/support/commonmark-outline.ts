// Block outlines of a Markdown document from the engine's block scanner and from two reference
// parsers (commonmark.js, the spec's reference implementation, and micromark through remark),
// in one comparable shape, for the conformance and property tests.
import * as commonmark from 'commonmark';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { codeContent, fenceInfo, htmlContent, scanBlocks, splitInfo, type Block } from '../../engine/read/markdown-blocks.ts';

const reference = new commonmark.Parser();
const remark = unified().use(remarkParse);
const INLINE = new Set(['text', 'softbreak', 'linebreak', 'emph', 'strong', 'link', 'image', 'code', 'html_inline']);
const PHRASING_PARENTS = new Set(['paragraph', 'heading', 'emphasis', 'strong', 'link', 'linkReference', 'delete', 'tableCell']);

/** Containers and leaves with depth and start line; code and HTML with their content. */
export function scannerOutline(markdown: string): string[] {
  const out: string[] = [];
  walkBlocks(scanBlocks(markdown), (b, depth) => {
    if (b.type === 'document' || b.type === 'paragraph') return;
    let s = `${depth} ${b.type}@${b.type === 'heading' ? '' : b.line}`;
    if (b.type === 'code') s += ` ${b.fenced ? 'fenced' : 'indented'} end=${b.endLine} info=${JSON.stringify(b.fenced ? fenceInfo(b) : '')} ${JSON.stringify(codeContent(b))}`;
    if (b.type === 'html') s += ` end=${b.endLine} ${JSON.stringify(htmlContent(b))}`;
    if (b.type === 'heading') s += ` h${b.level}`;
    out.push(s);
  });
  return out;
}

interface CmNode {
  type: string;
  sourcepos: [[number, number], [number, number]];
  info: string | null;
  literal: string | null;
  level: number;
  firstChild: CmNode | null;
  next: CmNode | null;
  _isFenced?: boolean;
}

export function commonmarkOutline(markdown: string): string[] {
  const out: string[] = [];
  const visit = (n: CmNode, depth: number) => {
    if (INLINE.has(n.type)) return;
    if (n.type !== 'document' && n.type !== 'paragraph') {
      const t = n.type === 'code_block' ? 'code' : n.type === 'html_block' ? 'html' : n.type;
      let s = `${depth} ${t}@${t === 'heading' ? '' : n.sourcepos[0][0]}`;
      if (t === 'code') s += ` ${n._isFenced ? 'fenced' : 'indented'} end=${n.sourcepos[1][0]} info=${JSON.stringify(n._isFenced ? (n.info ?? '') : '')} ${JSON.stringify(n.literal)}`;
      if (t === 'html') s += ` end=${n.sourcepos[1][0]} ${JSON.stringify(n.literal)}`;
      if (t === 'heading') s += ` h${n.level}`;
      out.push(s);
    }
    for (let c = n.firstChild; c; c = c.next) visit(c, depth + 1);
  };
  visit(reference.parse(markdown) as unknown as CmNode, 0);
  return out;
}

/** Code (fence line, lang, meta, value), flow HTML and headings (line, depth), scanner side. */
export function scannerLeaves(markdown: string): string[] {
  const out: string[] = [];
  walkBlocks(scanBlocks(markdown), (b) => {
    if (b.type === 'code') {
      const { lang, meta } = b.fenced ? splitInfo(b) : { lang: '', meta: '' };
      out.push(`code@${b.line} ${JSON.stringify(lang)} ${JSON.stringify(meta)} ${JSON.stringify(codeContent(b).replace(/\n$/, ''))}`);
    }
    if (b.type === 'html') out.push(`html@${b.line} ${JSON.stringify(htmlContent(b).replace(/\n+$/, ''))}`);
    if (b.type === 'heading') out.push(`heading@${b.line} h${b.level}`);
  });
  return out;
}

interface MdNode {
  type: string;
  position: { start: { line: number } };
  lang?: string | null;
  meta?: string | null;
  value?: string;
  depth?: number;
  children?: MdNode[];
}

/** The same leaves from an mdast tree (remark/micromark, or the renderer's own tree). */
export function mdastLeaves(tree: MdNode): string[] {
  const out: string[] = [];
  const visit = (n: MdNode, parent?: MdNode) => {
    if (n.type === 'code') out.push(`code@${n.position.start.line} ${JSON.stringify(n.lang ?? '')} ${JSON.stringify(n.meta ?? '')} ${JSON.stringify(n.value)}`);
    if (n.type === 'html' && !PHRASING_PARENTS.has(parent?.type ?? '')) out.push(`html@${n.position.start.line} ${JSON.stringify(n.value!.replace(/\n+$/, ''))}`);
    if (n.type === 'heading') out.push(`heading@${n.position.start.line} h${n.depth}`);
    for (const c of n.children ?? []) visit(c, n);
  };
  visit(tree);
  return out;
}

export function micromarkLeaves(markdown: string): string[] {
  return mdastLeaves(remark.parse(markdown) as unknown as MdNode);
}

/** Code blocks commonmark.js finds: info string, first and last line, literal. */
export function commonmarkCodeBlocks(markdown: string): { info: string; line: number; endLine: number; literal: string; fenced: boolean; quoted: boolean }[] {
  const out: { info: string; line: number; endLine: number; literal: string; fenced: boolean; quoted: boolean }[] = [];
  const visit = (n: CmNode, quoted: boolean) => {
    if (n.type === 'code_block') out.push({ info: n.info ?? '', line: n.sourcepos[0][0], endLine: n.sourcepos[1][0], literal: n.literal ?? '', fenced: Boolean(n._isFenced), quoted });
    for (let c = n.firstChild; c; c = c.next) visit(c, quoted || n.type === 'block_quote');
  };
  visit(reference.parse(markdown) as unknown as CmNode, false);
  return out;
}

/** Calls `visit` for every block in document order (depth-first, without recursion), leaving the tree as it is. */
export function walkBlocks(root: Block, visit: (block: Block, depth: number) => void): void {
  const blocks: Block[] = [root];
  const depths: number[] = [0];
  while (blocks.length) {
    const block = blocks.pop()!;
    const depth = depths.pop()!;
    visit(block, depth);
    for (let i = block.children.length - 1; i >= 0; i--) {
      blocks.push(block.children[i]);
      depths.push(depth + 1);
    }
  }
}
