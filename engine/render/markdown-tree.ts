// The renderer's Markdown tree: mdast from remark with GitHub Flavored Markdown (tables,
// strikethrough, task lists, autolinks), which prose needs and step finding does not. The reader
// already knows the file's block structure: it hands over where the body starts (after front
// matter and a byte order mark) and where it can be cut into sections that parse alone (before
// top-level ATX headings), so remark parses each section once, and short sections keep
// micromark fast. Positions are shifted back to the whole file, so the renderer finds the
// reader's steps by line.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent } from 'mdast';
import type { SourceFile } from '../model.ts';
import { scanMarkdown } from '../read/markdown.ts';

const gfmParser = unified().use(remarkParse).use(remarkGfm);
const plainParser = unified().use(remarkParse);
/**
 * Characters without which no GFM construct can start (table pipes, ~strikethrough~, [^footnotes],
 * [x] task items, bare www./scheme:// autolinks, e-mail autolinks). A section without any of them
 * parses the same without GFM, at about half the cost.
 */
const MAY_BE_GFM = /[|~@]|\[\^|\[[ xX]\]|www\.|(?<!\]\(|[a-z])[a-z]+:\/\/|mailto:|xmpp:/i;
const LINE_BREAK = /\r\n|\r|\n/g;

export function parseProse(file: Pick<SourceFile, 'text' | 'sections' | 'relPath'>): Root {
  const text = file.text;
  const sections = file.sections ?? scanMarkdown(text, file.relPath).sections;
  const tree: Root = { type: 'root', children: [] };
  let line = 1 + countLineBreaks(text, 0, sections[0]);
  sections.forEach((start, i) => {
    const end = i + 1 < sections.length ? sections[i + 1] : text.length;
    const section = text.slice(start, end);
    const part = (MAY_BE_GFM.test(section) ? gfmParser : plainParser).parse(section) as Root;
    shift(part, start, line - 1);
    tree.children.push(...part.children);
    line += countLineBreaks(text, start, end);
  });
  return tree;
}

function countLineBreaks(text: string, from: number, to: number): number {
  if (to <= from) return 0;
  return text.slice(from, to).match(LINE_BREAK)?.length ?? 0;
}

function shift(node: Root | RootContent, offset: number, lines: number): void {
  for (const point of [node.position?.start, node.position?.end]) {
    if (!point) continue;
    point.line += lines;
    if (point.offset !== undefined) point.offset += offset;
  }
  if ('children' in node) for (const child of node.children) shift(child, offset, lines);
}
