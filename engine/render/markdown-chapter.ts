// A Markdown chapter (its mdast tree, from the reader's parser) → AsciiDoc blocks: headings with
// their GitHub anchors, prose, lists, tables, GFM alerts as admonitions, quotes, images, and
// steps and directives through steps.ts. Blocks are returned in order, to be joined by blank lines.
import { relative } from 'node:path';
import type { Blockquote, Code, Definition, Heading, Html, List, ListItem, Paragraph, Root, RootContent, Table, Text } from 'mdast';
import { attrValue, guardLines, listing } from './adoc-syntax.ts';
import { LevelMapper, sectionMarker } from './headings.ts';
import { renderInline, type InlineOptions } from './inline.ts';
import { imageTarget } from './links.ts';
import { renderStep } from './steps.ts';
import { CHAPTER_MARKER, CHAPTER_PARTS } from './parts.ts';
import type { ChapterContext } from './types.ts';

interface State {
  ctx: ChapterContext;
  inline: InlineOptions;
  levels: LevelMapper;
  /** Inside a list item, quote or admonition: headings there cannot be sections. */
  nested: number;
}

const ALERT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(\r?\n|$)/i;

export function renderMarkdownChapter(tree: Root, ctx: ChapterContext): string[] {
  const definitions = new Map<string, Definition>();
  collectDefinitions(tree, definitions);
  const depths = tree.children.filter((n): n is Heading => n.type === 'heading').map((h) => h.depth);
  const state: State = { ctx, inline: { definitions }, levels: new LevelMapper(depths.length ? Math.min(...depths) : 1), nested: 0 };
  return renderBlocks(tree.children, state);
}

function collectDefinitions(node: Root | RootContent, into: Map<string, Definition>): void {
  if (node.type === 'definition') into.set(node.identifier.toLowerCase(), node);
  if ('children' in node) for (const child of node.children as RootContent[]) collectDefinitions(child, into);
}

function renderBlocks(nodes: RootContent[], state: State): string[] {
  const out: string[] = [];
  let previousWasList = false;
  for (const node of nodes) {
    const blocks = renderBlock(node, state);
    if (!blocks.length) continue;
    // Two Markdown lists in a row are two lists; in AsciiDoc they would merge without this line.
    if (node.type === 'list' && previousWasList) out.push('//-');
    out.push(...blocks);
    previousWasList = node.type === 'list';
  }
  return out;
}

function renderBlock(node: RootContent, state: State): string[] {
  switch (node.type) {
    case 'heading':
      return [heading(node, state)];
    case 'paragraph':
      return [paragraph(node, state)];
    case 'code':
      return code(node, state);
    case 'html':
      return html(node, state);
    case 'list':
      return [list(node, state, 1)];
    case 'table':
      return [table(node, state)];
    case 'blockquote':
      return [blockquote(node, state)];
    case 'thematicBreak':
      return ["'''"];
    default:
      return []; // front matter, link definitions, footnote definitions
  }
}

function heading(node: Heading, state: State): string {
  const text = renderInline(node.children, state.ctx, state.inline, ' ', ' ').replace(/\s*\n\s*/g, ' ');
  const line = node.position!.start.line;
  if (state.nested) return `[discrete]\n${sectionMarker(Math.min(node.depth, 5))} ${text}`;
  const id = state.ctx.ids?.byLine.get(line);
  return `${id ? `[#${id}]\n` : ''}${sectionMarker(state.levels.level(node.depth))} ${text}`;
}

function paragraph(node: Paragraph, state: State): string {
  const meaningful = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  if (meaningful.length === 1 && meaningful[0].type === 'image') {
    const image = meaningful[0];
    return `image::${imageTarget(image.url, state.ctx)}[${attrValue(image.alt ?? '')}]`;
  }
  return guardLines(renderInline(node.children, state.ctx, state.inline));
}

function code(node: Code, state: State): string[] {
  const line = node.position!.start.line;
  if (state.ctx.outputLines.has(line)) return []; // shown right under its step
  const step = state.ctx.stepsByLine.get(line);
  if (step) return renderStep(step, state.ctx);
  return [listing(node.value, { style: node.lang ? `source,${node.lang}` : undefined })];
}

function html(node: Html, state: State): string[] {
  const start = node.position!.start.offset!;
  const end = node.position!.end.offset!;
  const blocks = state.ctx.file.steps
    .filter((s) => s.type === 'directive' && s.span.start >= start && s.span.end <= end)
    .flatMap((s) => renderStep(s, state.ctx));
  for (const marker of node.value.matchAll(CHAPTER_MARKER)) {
    const line = node.position!.start.line + node.value.slice(0, marker.index).split('\n').length - 1;
    const where = { file: relative(process.cwd(), state.ctx.file.path) || state.ctx.file.relPath, line };
    const text = state.ctx.parts.render(marker[1], where, CHAPTER_PARTS);
    if (text) blocks.push(text);
  }
  const rest = node.value.replace(/<!--[\s\S]*?-->/g, '').trim();
  if (rest) blocks.push(`++++\n${rest}\n++++`);
  return blocks;
}

function list(node: List, state: State, depth: number): string {
  const marker = (node.ordered ? '.' : '*').repeat(depth);
  const lines: string[] = [];
  if (node.ordered && node.start != null && node.start !== 1) lines.push(`[start=${node.start}]`);
  for (const item of node.children) lines.push(listItem(item, marker, state, depth));
  return lines.join('\n');
}

function listItem(item: ListItem, marker: string, state: State, depth: number): string {
  const check = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
  const inner: State = { ...state, nested: state.nested + 1 };
  const [first, ...rest] = item.children;
  const parts: string[] = [];
  let attached = item.children;
  if (first?.type === 'paragraph') {
    parts.push(`${marker} ${check}${paragraph(first, inner)}`);
    attached = rest;
  } else parts.push(`${marker} ${check}{empty}`);
  for (const child of attached) {
    if (child.type === 'list') parts.push(list(child, inner, depth + 1));
    else for (const block of renderBlock(child, inner)) parts.push(`+\n${block}`);
  }
  return parts.join('\n');
}

function table(node: Table, state: State): string {
  const align = (node.align ?? []).map((a) => (a === 'center' ? '^' : a === 'right' ? '>' : '<'));
  // As in GFM, the header row sets the number of columns: short rows are padded, extra cells dropped.
  const columns = Math.max(node.children[0]?.children.length ?? 1, 1);
  const cols = Array.from({ length: columns }, (_, i) => align[i] ?? '<').join(',');
  const options: InlineOptions = { ...state.inline, inTable: true };
  const rows = node.children.map((row) =>
    Array.from({ length: columns }, (_, i) => row.children[i])
      .map((cell) => (cell ? `|${renderInline(cell.children, state.ctx, options, ' ', ' ')}`.trimEnd() : '|'))
      .join(' '),
  );
  return [`[cols="${cols}",options="header"]`, '|===', ...rows, '|==='].join('\n');
}

function blockquote(node: Blockquote, state: State): string {
  const inner: State = { ...state, nested: state.nested + 1 };
  const fence = (char: string) => char.repeat(4 + state.nested);
  const alert = alertType(node);
  if (!alert) return [fence('_'), renderBlocks(node.children, inner).join('\n\n'), fence('_')].join('\n');
  const [first, ...rest] = node.children as [Paragraph, ...RootContent[]];
  const text = first.children[0] as Text;
  const stripped: Paragraph = { ...first, children: [{ ...text, value: text.value.replace(ALERT, '') }, ...first.children.slice(1)] };
  const lead = stripped.children.some((c) => c.type !== 'text' || c.value.trim() !== '') ? [stripped as RootContent] : [];
  const body = [...lead, ...rest];
  if (body.length === 1 && body[0].type === 'paragraph') return `${alert}: ${paragraph(body[0], inner)}`;
  return [`[${alert}]`, fence('='), renderBlocks(body, inner).join('\n\n'), fence('=')].join('\n');
}

/** `> [!NOTE]` (GitHub's alert syntax) → NOTE, else undefined. */
function alertType(node: Blockquote): string | undefined {
  const first = node.children[0];
  if (first?.type !== 'paragraph') return undefined;
  const text = first.children[0];
  if (text?.type !== 'text') return undefined;
  return ALERT.exec(text.value)?.[1].toUpperCase();
}
