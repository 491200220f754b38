// The renderer's Markdown tree (mdast), built on the reader's block scanner: the scanner says
// where the body starts (after front matter and a byte order mark), which top-level fenced
// blocks there are and where top-level headings begin. Those fences become mdast `code` nodes
// straight from the scanner — the same ones the reader took its steps from — and remark reads
// only the prose around them (each fence stands in as a two-line HTML block), with GitHub Flavored Markdown (tables, strikethrough, task
// lists, autolinks) where it may occur. Cutting the prose before top-level headings keeps
// micromark's work per piece small. Link reference definitions are document-wide, so every piece
// that may use one is parsed with the document's definitions after it. Positions are the file's.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Code, Root, RootContent } from 'mdast';
import type { SourceFile } from '../model.ts';
import { markdownTree } from '../read/markdown.ts';
import { codeContent, splitInfo, type Block } from '../read/markdown-blocks.ts';
import { lineEnd } from '../read/front-matter.ts';

const gfmParser = unified().use(remarkParse).use(remarkGfm);
const plainParser = unified().use(remarkParse);
/**
 * Characters without which no GFM construct can start (table pipes, ~strikethrough~, [^footnotes],
 * [x] task items (any one space, tab or line break between the brackets), bare www./scheme://
 * autolinks, e-mail autolinks). A piece without any of them parses the same without GFM, at about
 * half the cost. A scheme after a letter never starts an autolink literal; after anything else it
 * may, even in `](https://…`, whose link may not close.
 */
export const MAY_BE_GFM = /[|~@]|\[\^|\[[\sxX]\]|www\.|(?<![a-z])[a-z]+:\/\/|mailto:|xmpp:/i;

export function parseProse(file: Pick<SourceFile, 'text' | 'relPath'>): Root {
  const text = file.text;
  const { tree: blocks, frontMatter } = markdownTree(text, file.relPath);
  const definitions = blocks.definitions?.length ? `\n\n${blocks.definitions.join('\n')}\n` : '';
  const tree: Root = { type: 'root', children: [] };
  let start = frontMatter?.bodyOffset ?? (text.charCodeAt(0) === 0xfeff ? 1 : 0);
  let line = frontMatter?.bodyLine ?? 1;
  let fences: Block[] = []; // top-level fences of the current piece

  const prose = (end: number) => {
    if (end <= start) return;
    const { piece, stands, onlyFences } = withPlaceholders(text, start, end, fences);
    fences = [];
    if (onlyFences) {
      for (const s of stands) tree.children.push(s.code); // nothing but fences: nothing to parse
      return;
    }
    const source = definitions && piece.includes('[') ? piece + definitions : piece;
    const part = (MAY_BE_GFM.test(source) ? gfmParser : plainParser).parse(source) as Root;
    let next = 0; // the next stand-in
    let chars = 0; // what the stand-ins before this node took out of the text
    let lines = 0;
    for (const node of part.children) {
      const at = node.position!.start.offset!;
      if (at >= piece.length) break; // the appended definitions
      const stand = stands[next];
      if (stand && node.type === 'html' && at === stand.at) {
        tree.children.push(stand.code);
        chars += stand.chars;
        lines += stand.lines;
        next++;
        continue;
      }
      shift(node, start + chars, line - 1 + lines);
      tree.children.push(node);
    }
  };

  for (const block of blocks.children) {
    if (block.type === 'heading' && !block.setext) {
      prose(block.lineStart);
      [start, line] = [block.lineStart, block.line];
    } else if (block.type === 'code' && block.fenced && block.endedBy === 'fence') {
      fences.push(block);
    }
  }
  prose(text.length);
  return tree;
}

interface StandIn {
  at: number; // offset of the stand-in in the piece
  code: Code;
  chars: number; // characters of the file it leaves out
  lines: number; // line breaks it leaves out
}

/**
 * The text from `start` to `end` with each top-level fence replaced by a two-line HTML block
 * (`<?` and `?>`): remark need not read what the scanner has read, and an HTML block ends a
 * paragraph or list exactly where the fence did, so the rest parses the same. The stand-ins say
 * how much each took out, to put later positions back where they are in the file.
 */
function withPlaceholders(text: string, start: number, end: number, fences: Block[]): { piece: string; stands: StandIn[]; onlyFences: boolean } {
  let piece = '';
  let at = start;
  let onlyFences = fences.length > 0;
  const stands: StandIn[] = [];
  for (const fence of fences) {
    const code = codeNode(text, fence);
    const to = code.position!.end.offset!;
    const between = text.slice(at, fence.lineStart);
    if (onlyFences && !/^[ \t\r\n]*$/.test(between)) onlyFences = false;
    piece += between;
    stands.push({ at: piece.length, code, chars: to - fence.lineStart - 5, lines: fence.endLine - fence.line - 1 });
    piece += '<?\n?>';
    at = to;
  }
  const rest = text.slice(at, end);
  return { piece: piece + rest, stands, onlyFences: onlyFences && /^[ \t\r\n]*$/.test(rest) };
}

/** The mdast node remark would make of a closed top-level fence. */
function codeNode(text: string, block: Block): Code {
  const { lang, meta } = splitInfo(block);
  const close = lineEnd(text, block.closeLineStart!);
  return {
    type: 'code',
    lang: lang || null,
    meta: meta || null,
    value: codeContent(block).replace(/\n$/, ''),
    position: {
      start: { line: block.line, column: block.offset - block.lineStart + 1, offset: block.offset },
      end: { line: block.endLine, column: close.end - block.closeLineStart! + 1, offset: close.end },
    },
  };
}

function shift(node: Root | RootContent, offset: number, lines: number): void {
  for (const point of [node.position?.start, node.position?.end]) {
    if (!point) continue;
    point.line += lines;
    if (point.offset !== undefined) point.offset += offset;
  }
  if ('children' in node) for (const child of node.children) shift(child, offset, lines);
}
