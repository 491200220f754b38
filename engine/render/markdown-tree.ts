// The renderer's Markdown parser: like the reader's, plus GitHub Flavored Markdown (tables,
// strikethrough, task lists, autolinks), which prose needs and step finding does not. Both see
// the same fences, comments and headings on the same lines, so steps are found by line.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

export function parseProse(text: string): Root {
  return parser.parse(text) as Root;
}
