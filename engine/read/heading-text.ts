// The plain text of a heading (what derived step ids and section names are made of), as mdast
// gives it: text, code and link text kept, images and markup dropped, escapes and character
// references resolved. Most headings are plain words and need no inline parser; the others are
// parsed with micromark, loaded on first use so commands that never meet one do not pay for it.
import { createRequire } from 'node:module';
import type { Block } from './markdown-blocks.ts';

type FromMarkdown = (text: string) => MdNode;
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** Characters that may start inline markup, or a hard line break (two spaces before a newline). */
const INLINE_MARKUP = /[\\`*_[\]<>&!]| {2,}\n/;

let fromMarkdown: FromMarkdown | undefined;

export function headingText(block: Block, definitions: string[]): string {
  const lines = block.lines.map((line) => line.replace(/^[ \t]+/, ''));
  if (!INLINE_MARKUP.test(lines.join('\n'))) return lines.map((line) => line.replace(/[ \t]+$/, '')).join('\n');
  // A heading of its own: ATX with a closing sequence that keeps trailing #s of the content, or
  // a setext heading after a line that keeps the content from starting a block of its own. The
  // document's link reference definitions come along so references resolve.
  const defs = definitions.length ? `\n\n${definitions.join('\n')}\n` : '';
  const source = block.setext ? `x\n${lines.join('\n')}\n===${defs}` : `# ${lines[0]} #${defs}`;
  const parse = parser();
  // Without require(esm) (Node before 20.19) micromark cannot be loaded here: the raw text stands in.
  const heading = parse ? parse(source).children?.find((n) => n.type === 'heading') : undefined;
  if (!heading) return lines.join('\n').trim();
  const plain = plainText(heading);
  return block.setext ? plain.replace(/^x\n/, '') : plain;
}

let unavailable = false;

function parser(): FromMarkdown | undefined {
  if (!fromMarkdown && !unavailable) {
    try {
      const require = createRequire(import.meta.url);
      fromMarkdown = (require('mdast-util-from-markdown') as { fromMarkdown: FromMarkdown }).fromMarkdown;
    } catch {
      unavailable = true;
    }
  }
  return fromMarkdown;
}

export function plainText(node: MdNode): string {
  if (typeof node.value === 'string') return node.value;
  return (node.children ?? []).map(plainText).join('');
}
