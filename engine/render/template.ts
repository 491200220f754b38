// The README's own material — the project's quick start, a guide to the engine — lives with the
// runbook in `_readme/template.adoc` (files and directories starting with `_` are not chapters).
// The template is plain AsciiDoc with marker lines that say where generated parts go:
//   // render: provenance     when and where the outputs were captured
//   // render: variables      the variables a reader sets before the first command
//   // render: chapters       the tutorial itself
// (provenance and variables may instead be placed by a chapter, see parts.ts). A runbook without
// a template gets the provenance note and the chapters alone.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Runbook } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { README_DIR } from './provenance.ts';
import { PARTS, type TemplatePart } from './parts.ts';

export const TEMPLATE_FILE = 'template.adoc';
const MARKER = /^\/\/[ \t]*render:[ \t]*(\S+)[ \t]*$/;

export interface Template {
  /** Text pieces and markers in order. */
  pieces: ({ text: string } | { part: TemplatePart; line: number })[];
  /** The template file as positions name it. */
  file: string;
  /** No template file: the default pieces, which give way to parts a chapter placed. */
  implicit: boolean;
  /** Section titles of the template, so chapter ids do not take theirs. */
  sectionTitles: string[];
}

export function templatePath(runbook: Runbook): string {
  return join(runbook.root, README_DIR, TEMPLATE_FILE);
}

export function loadTemplate(runbook: Runbook): Template {
  const path = templatePath(runbook);
  if (!existsSync(path)) return { pieces: [{ part: 'provenance', line: 0 }, { part: 'chapters', line: 0 }], sectionTitles: [], file: path, implicit: true };
  const file = relative(process.cwd(), path) || path;
  const lines = readFileSync(path, 'utf8').replace(/\r\n/g, '\n').split('\n');
  const pieces: Template['pieces'] = [];
  const sectionTitles: string[] = [];
  let text: string[] = [];
  const flush = () => {
    const joined = text.join('\n').replace(/^\n+|\n+$/g, '');
    if (joined) pieces.push({ text: joined });
    text = [];
  };
  lines.forEach((line, i) => {
    const marker = MARKER.exec(line);
    if (!marker) {
      const section = /^={2,6}[ \t]+(\S.*?)[ \t]*$/.exec(line);
      if (section) sectionTitles.push(section[1]);
      text.push(line);
      return;
    }
    const part = marker[1] as TemplatePart;
    if (!PARTS.includes(part)) {
      throw new RunbookError(`unknown template marker "render: ${marker[1]}"`, { file, line: i + 1 }, undefined, `Markers are: ${PARTS.map((p) => `// render: ${p}`).join(', ')}.`);
    }
    if (pieces.some((p) => 'part' in p && p.part === part)) {
      throw new RunbookError(`"render: ${part}" appears twice`, { file, line: i + 1 }, undefined, 'Each generated part goes in one place.');
    }
    flush();
    pieces.push({ part, line: i + 1 });
  });
  flush();
  if (!pieces.some((p) => 'part' in p && p.part === 'chapters')) pieces.push({ part: 'chapters', line: 0 });
  return { pieces, sectionTitles, file, implicit: false };
}
