// A step as a reader sees it: the commands as a `[source,LANG]` listing with no annotations,
// and right under it what they print — the captured output, or else the expected output
// (labelled as such), or a visible note that nothing was captured yet. Hidden steps are left out.
import type { CommandStep, OutputBlock, Step } from '../model.ts';
import { listing } from './adoc-syntax.ts';
import { renderDirective } from './directives.ts';
import { targetTitle } from './target-title.ts';
import type { ChapterContext } from './types.ts';

export function renderStep(step: Step, ctx: ChapterContext): string[] {
  if (step.hidden) return [];
  const blocks = step.type === 'directive' ? renderDirective(step, ctx) : [renderCommand(step)];
  return [...blocks, ...renderOutput(step)];
}

function renderCommand(step: CommandStep): string {
  const lang = step.lang || 'bash';
  return listing(step.code, { style: `source,${lang}`, title: targetTitle(step) });
}

function renderOutput(step: Step): string[] {
  const shown = pickOutput(step);
  if (shown === 'todo') return [notCapturedNote()];
  if (!shown || shown.text.trim() === '') return [];
  const title = shown.kind === 'output' ? 'Output' : 'Expected output';
  return [listing(shown.text, { title })];
}

function pickOutput(step: Step): OutputBlock | 'todo' | undefined {
  if (step.output && !step.output.todo) return step.output;
  if (step.expect && !step.expect.todo) return step.expect;
  if (step.output?.todo || step.expect?.todo) return 'todo';
  return undefined;
}

function notCapturedNote(): string {
  return 'NOTE: Output not captured yet: the next `+runbook run --write+` records it here.';
}
