// YAML front matter of a Markdown file, as remark-frontmatter reads it: a `---` line at the very
// start (after a byte order mark), spaces or tabs allowed after it, up to the next `---` line.
// Without a closing line it is no front matter. Control characters in it are refused: YAML
// does not allow them, and they are the mark of a binary file.
import { RunbookError } from '../errors.ts';

export interface FrontMatter {
  /** The YAML between the fences. */
  text: string;
  /** File line of the YAML's first line. */
  firstLine: number;
  /** Offset just past the closing fence (before its line break). */
  end: number;
  /** Offset and line number where the Markdown after it starts. */
  bodyOffset: number;
  bodyLine: number;
}

const FENCE = /^---[ \t]*$/;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

export function findFrontMatter(text: string, start: number, file: string): FrontMatter | undefined {
  if (!text.startsWith('---', start)) return undefined;
  let lineStart = start;
  let line = 1;
  let valueStart = -1;
  while (lineStart < text.length) {
    const { end, next } = lineEnd(text, lineStart);
    const content = text.slice(lineStart, end);
    if (line === 1) {
      if (!FENCE.test(content) || next === end) return undefined; // the opening line needs a line break
      valueStart = next;
    } else if (FENCE.test(content)) {
      const valueEnd = Math.max(valueStart, lineStart - lineBreakBefore(text, lineStart));
      const value = text.slice(valueStart, valueEnd);
      const control = CONTROL.exec(value);
      if (control) {
        const badLine = 2 + (value.slice(0, control.index).match(/\r\n|\r|\n/g)?.length ?? 0);
        throw new RunbookError(
          `front matter contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`,
          { file, line: badLine },
          undefined,
          'Front matter is YAML text; remove the character (is this a binary file?).',
        );
      }
      return { text: value, firstLine: 2, end, bodyOffset: next, bodyLine: line + 1 };
    }
    lineStart = next;
    line++;
  }
  return undefined;
}

/** End of the line starting at `from` (before its break) and where the next line starts. */
export function lineEnd(text: string, from: number): { end: number; next: number } {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) return { end: i, next: i + 1 };
    if (c === 0x0d) return { end: i, next: text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1 };
  }
  return { end: text.length, next: text.length };
}

function lineBreakBefore(text: string, lineStart: number): number {
  if (lineStart >= 2 && text[lineStart - 2] === '\r' && text[lineStart - 1] === '\n') return 2;
  return lineStart >= 1 ? 1 : 0;
}
