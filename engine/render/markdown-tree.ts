// The renderer's Markdown parser: like the reader's, plus GitHub Flavored Markdown (tables,
// strikethrough, task lists, autolinks), which prose needs and step finding does not. Like the
// reader, it parses a long chapter section by section (cut before top-level headings), which
// keeps micromark fast; positions are shifted back to the whole file, so both see the same
// fences, comments and headings on the same lines and steps are found by line.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent } from 'mdast';
import { lineAt, lineIndex, sectionStarts } from '../read/markdown.ts';

const gfmParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
const plainParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
/**
 * Characters without which no GFM construct can start (table pipes, ~strikethrough~, [^footnotes],
 * [x] task items, bare www./scheme:// autolinks, e-mail autolinks). A section without any of them
 * parses the same without GFM, at about half the cost.
 */
const MAY_BE_GFM = /[|~@]|\[\^|\[[ xX]\]|www\.|(?<!\]\(|[a-z])[a-z]+:\/\/|mailto:|xmpp:/i;

export function parseProse(text: string): Root {
  const starts = sectionStarts(text);
  const lines = lineIndex(text);
  const tree: Root = { type: 'root', children: [] };
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const section = text.slice(start, end);
    const part = (MAY_BE_GFM.test(section) ? gfmParser : plainParser).parse(section) as Root;
    shift(part, start, lineAt(lines, start) - 1);
    tree.children.push(...part.children);
  });
  return tree;
}

function shift(node: Root | RootContent, offset: number, lines: number): void {
  for (const point of [node.position?.start, node.position?.end]) {
    if (!point) continue;
    point.line += lines;
    if (point.offset !== undefined) point.offset += offset;
  }
  if ('children' in node) for (const child of node.children) shift(child, offset, lines);
}
