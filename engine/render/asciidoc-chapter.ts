// An AsciiDoc chapter → its part of README.adoc. The text stays as written except where the
// reader found something of the runbook's: step listings lose their runbook attribute and get
// their output under them (steps.ts), output blocks move under their step, directives become
// commands or images, hidden steps go, section levels shift under the document title, and block
// image paths are rewritten relative to README.adoc.
import type { Span } from '../model.ts';
import { scanAsciidoc, type AsciidocScan } from '../read/asciidoc.ts';
import { LevelMapper, sectionMarker } from './headings.ts';
import { imageTarget } from './links.ts';
import { renderStep } from './steps.ts';
import type { ChapterContext } from './types.ts';

interface Edit {
  span: Span;
  text: string;
  /** A removed block also takes the blank lines after it, so no gap is left behind. */
  removal?: boolean;
}

export function renderAsciidocChapter(ctx: ChapterContext): string {
  const source = ctx.file.text;
  const scan = scanAsciidoc(source, ctx.file.relPath);
  const edits = [...regionEdits(scan, ctx), ...imageEdits(scan, ctx)].sort((a, b) => a.span.start - b.span.start);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += source.slice(at, edit.span.start).replace(/\r\n/g, '\n') + edit.text;
    at = edit.removal ? skipBlankLines(source, edit.span.end) : edit.span.end;
  }
  out += source.slice(at).replace(/\r\n/g, '\n');
  return out.replace(/^\n+|\n+$/g, '');
}

function regionEdits(scan: AsciidocScan, ctx: ChapterContext): Edit[] {
  const depths = scan.regions.flatMap((r) => (r.block.type === 'heading' ? [r.block.depth] : []));
  const levels = new LevelMapper(depths.length ? Math.min(...depths) : 1);
  const edits: Edit[] = [];
  for (const { block, span } of scan.regions) {
    if (block.type === 'heading') {
      const line = ctx.file.text.slice(span.start, span.end);
      const marker = /^[=#]+/.exec(line)![0];
      edits.push({ span: { start: span.start, end: span.start + marker.length }, text: sectionMarker(levels.level(block.depth)) });
      continue;
    }
    const line = block.position.line;
    if (ctx.outputLines.has(line)) {
      edits.push({ span, text: '', removal: true });
      continue;
    }
    const step = ctx.stepsByLine.get(line);
    if (!step) continue; // a block the reader kept as documentation
    const rendered = renderStep(step, ctx).join('\n\n');
    edits.push({ span, text: rendered, removal: rendered === '' });
  }
  return edits;
}

function imageEdits(scan: AsciidocScan, ctx: ChapterContext): Edit[] {
  return scan.images.map(({ target }) => ({ span: target, text: imageTarget(ctx.file.text.slice(target.start, target.end), ctx) }));
}

/** Offset after the line break ending `end`'s line and any blank lines that follow it. */
function skipBlankLines(text: string, end: number): number {
  let at = end;
  for (;;) {
    const m = /^[ \t]*\r?\n/.exec(text.slice(at, at + 200));
    if (!m) return at;
    at += m[0].length;
  }
}
