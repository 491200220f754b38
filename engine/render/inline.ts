// Markdown inline content (mdast phrasing nodes) → AsciiDoc inline text. Emphasis uses the
// constrained marks (`*x*`) where they stand between non-word characters and the doubled ones
// (`**x**`) inside words; code becomes literal monospace; text is escaped (adoc-syntax.ts).
import type { Definition, PhrasingContent } from 'mdast';
import { attrValue, escapeInline, literalContent, type EscapeOptions } from './adoc-syntax.ts';
import { imageTarget, linkTarget } from './links.ts';
import type { ChapterContext } from './types.ts';

export interface InlineOptions extends EscapeOptions {
  definitions?: Map<string, Definition>;
}

type Segment = { kind: 'text'; value: string } | { kind: 'raw'; value: string } | { kind: 'mark'; mark: string; inner: string; role?: string };

const WORD = /[\p{L}\p{N}_]/u;

export function renderInline(nodes: PhrasingContent[], ctx: ChapterContext, options: InlineOptions = {}, before = '', after = ''): string {
  const segments = nodes.flatMap((n) => toSegments(n, ctx, options));
  let out = '';
  segments.forEach((seg, i) => {
    const prev = i > 0 ? lastChar(segments[i - 1]) : before;
    const next = i + 1 < segments.length ? firstChar(segments[i + 1]) : after;
    if (seg.kind === 'raw') out += seg.value;
    else if (seg.kind === 'text') {
      const lines = seg.value.split('\n');
      out += lines.map((line, k) => escapeInline(line, k === 0 ? prev : '', k === lines.length - 1 ? next : '', options)).join('\n');
    } else {
      const constrained = !WORD.test(prev || ' ') && !WORD.test(next || ' ') && !/^\s|\s$/.test(seg.inner);
      const mark = constrained ? seg.mark : seg.mark + seg.mark;
      out += `${seg.role ?? ''}${mark}${seg.inner}${mark}`;
    }
  });
  return out;
}

function lastChar(seg: Segment): string {
  return seg.kind === 'mark' ? seg.mark : seg.value.slice(-1);
}

function firstChar(seg: Segment): string {
  return seg.kind === 'mark' ? (seg.role ? '[' : seg.mark) : seg.value.slice(0, 1);
}

function toSegments(node: PhrasingContent, ctx: ChapterContext, options: InlineOptions): Segment[] {
  switch (node.type) {
    case 'text':
      return [{ kind: 'text', value: node.value }];
    case 'emphasis':
      return [{ kind: 'mark', mark: '_', inner: renderInline(node.children, ctx, options, '_', '_') }];
    case 'strong':
      return [{ kind: 'mark', mark: '*', inner: renderInline(node.children, ctx, options, '*', '*') }];
    case 'delete':
      return [{ kind: 'mark', mark: '#', role: '[.line-through]', inner: renderInline(node.children, ctx, options, '#', '#') }];
    case 'inlineCode':
      // In a table a bare | would end the cell, even between backticks; \| is the cell-level escape.
      return node.value ? [{ kind: 'mark', mark: '`', inner: options.inTable ? literalContent(node.value).replace(/\|/g, '\\|') : literalContent(node.value) }] : [];
    case 'break':
      return [{ kind: 'raw', value: ' +\n' }];
    case 'link':
      return [{ kind: 'raw', value: link(node.url, node.children, ctx, options) }];
    case 'linkReference': {
      const def = options.definitions?.get(node.identifier.toLowerCase());
      return def ? [{ kind: 'raw', value: link(def.url, node.children, ctx, options) }] : node.children.flatMap((c) => toSegments(c, ctx, options));
    }
    case 'image':
      return [{ kind: 'raw', value: `image:${imageTarget(node.url, ctx)}[${attrValue(node.alt ?? '')}]` }];
    case 'imageReference': {
      const def = options.definitions?.get(node.identifier.toLowerCase());
      return def ? [{ kind: 'raw', value: `image:${imageTarget(def.url, ctx)}[${attrValue(node.alt ?? '')}]` }] : [];
    }
    case 'html':
      // Inline HTML: a line break is kept; other tags are dropped and the text between them stays.
      return /^<br\s*\/?>$/i.test(node.value.trim()) ? [{ kind: 'raw', value: ' +\n' }] : [];
    default:
      return []; // footnote references and anything else GitHub would not show inline
  }
}

function link(url: string, children: PhrasingContent[], ctx: ChapterContext, options: InlineOptions): string {
  const target = linkTarget(url, ctx);
  const text = renderInline(children, ctx, options, '[', ']');
  const sameAsUrl = children.length === 1 && children[0].type === 'text' && children[0].value === url;
  if ('xref' in target) return text ? `<<${target.xref},${text}>>` : `<<${target.xref}>>`;
  const label = sameAsUrl ? '' : /[=,"]/.test(text) ? `"${text.replace(/"/g, '\\"')}"` : text;
  const safe = /^[A-Za-z0-9\-./:?=&%@!$,;]*$/.test(target.url) && !/[.,;:!?]$/.test(target.url);
  if (safe && /^https?:\/\//.test(target.url)) return `${target.url}[${label}]`;
  return safe ? `link:${target.url}[${label}]` : `link:++${target.url.replace(/\+\+/g, '%2B%2B')}++[${label}]`;
}
