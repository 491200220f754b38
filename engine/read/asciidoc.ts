// The AsciiDoc reader. Placeholder until the AsciiDoc runbook work lands: it reports clearly
// that .adoc runbooks cannot be read yet instead of silently treating them as empty.
import { RunbookError } from '../errors.ts';
import type { RawBlock } from './steps.ts';

export function scanAsciidoc(_text: string, file: string): { blocks: RawBlock[]; bodyStart: number; frontMatter?: undefined } {
  throw new RunbookError('AsciiDoc runbooks are not supported by this version yet', { file, line: 1 }, undefined, 'Use Markdown chapters (.md) for now.');
}
