// Generated parts of the document — the provenance note (where the outputs come from) and the
// variables block (what a reader sets before the first command) — placed where a marker says:
// `// render: NAME` in the template, or `<!-- render: NAME -->` in a Markdown chapter, so a
// chapter can say what is true about its outputs in its own words and show the variables where
// its reader starts typing. Each part goes in one place.
import type { Position, Runbook } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { provenanceText, type CaptureRecord } from './provenance.ts';
import { variablesBlock } from './variables.ts';

export const PARTS = ['provenance', 'variables', 'chapters'] as const;
export type TemplatePart = (typeof PARTS)[number];
/** The parts a chapter may place (the chapters themselves are placed by the template only). */
export const CHAPTER_PARTS: readonly TemplatePart[] = ['provenance', 'variables'];
/** `<!-- render: NAME -->` in a Markdown chapter. */
export const CHAPTER_MARKER = /<!--[ \t]*render:[ \t]*([^\s>]+)[ \t]*-->/g;

export class GeneratedParts {
  private readonly placed = new Map<TemplatePart, Position>();

  constructor(
    private readonly runbook: Runbook,
    private readonly outDir: string,
    private readonly record: CaptureRecord | undefined,
  ) {}

  /** The text of a part placed at `where`; an unknown or twice-placed part is an error there. */
  render(part: string, where: Position, allowed: readonly TemplatePart[] = PARTS): string {
    if (!allowed.includes(part as TemplatePart)) {
      throw new RunbookError(`unknown render marker "render: ${part}"`, where, undefined, `Markers here are: ${allowed.join(', ')}.`);
    }
    const known = part as TemplatePart;
    const first = this.placed.get(known);
    if (first) throw new RunbookError(`"render: ${part}" appears twice (first at ${first.file}:${first.line})`, where, undefined, 'Each generated part goes in one place.');
    this.placed.set(known, where);
    if (known === 'provenance') return provenanceText(this.record);
    if (known === 'variables') return variablesBlock(this.runbook, this.outDir) ?? '';
    return '';
  }

  has(part: TemplatePart): boolean {
    return this.placed.has(part);
  }
}
