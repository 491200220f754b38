// What an interactive run shows before a step: where it is (chapter and heading, file:line,
// step n of N, target), the last lines of prose above it, and the command as it will run.
import type { Runbook, Step } from '../model.ts';
import type { Style } from '../progress/style.ts';

const PROSE_LINES = 3;
const COMMAND_LINES = 15;

/** Lines that end the prose above a step: fences, listing delimiters, headings, comments, attribute lines. */
const NOT_PROSE = /^\s*(```|~~~|-{4,}\s*$|\.{4,}\s*$|#{1,6}\s|={1,6}\s|<!--|\/\/|\[[^\]]*\]\s*$)/;

/** The last few lines of the paragraph just above a step, as plain text. */
export function proseAbove(runbook: Runbook, step: Step): string[] {
  const file = runbook.files.find((f) => f.steps.includes(step));
  if (!file) return [];
  const lines = file.text.split(/\r?\n/);
  const found: string[] = [];
  let i = step.position.line - 2; // the line above the step's first line
  // AsciiDoc: the step's line is its attribute line; a block title (.Title) may sit above it.
  while (i >= 0 && !lines[i].trim()) i--;
  for (; i >= 0; i--) {
    const line = lines[i];
    if (!line.trim()) {
      if (found.length) break;
      continue;
    }
    if (NOT_PROSE.test(line)) break;
    found.unshift(line.trim());
  }
  const text = found.map((l) => l.replace(/^([*+-]|\d+\.)\s+/, '').replace(/\*\*|__/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'));
  return text.length > PROSE_LINES ? ['…', ...text.slice(-PROSE_LINES)] : text;
}

export interface CardInput {
  runbook: Runbook;
  step: Step;
  index: number;
  total: number;
  target?: string;
  command: string;
  width: number;
}

/** The card, ready to print; long commands are cut with a note (`v` shows them whole). */
export function stepCard(input: CardInput, style: Style): string {
  const { step } = input;
  const kind = step.type === 'directive' ? `${step.verb}${step.args.length ? ` ${step.args.join(' ')}` : ''}` : step.kind;
  const head = `step ${input.index + 1} of ${input.total} · ${step.id} · ${kind} · ${step.position.file}:${step.position.line}${input.target ? ` · target ${input.target}` : ''}`;
  const out: string[] = ['', style.bold(fit(`── ${head} `, input.width, '─'))];
  if (step.section.length) out.push(style.dim(fit(step.section.join(' › '), input.width)));
  for (const line of proseAbove(input.runbook, step)) out.push(wrap(line, input.width - 2).map((l) => `  ${l}`).join('\n'));
  const lines = input.command.replace(/\n+$/, '').split('\n');
  const shown = lines.slice(0, COMMAND_LINES);
  shown.forEach((line, n) => out.push(`${n === 0 ? style.bold('$') : ' '} ${line}`));
  if (lines.length > shown.length) out.push(style.dim(`  … ${lines.length - shown.length} more lines (v shows the whole command)`));
  return out.join('\n');
}

/** A text cut to the width, or padded with `pad` up to it. */
function fit(text: string, width: number, pad = ''): string {
  if (text.length > width) return text.slice(0, Math.max(1, width - 1)) + '…';
  return pad ? text + pad.repeat(width - text.length) : text;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
