// A step as a reader sees it: the commands as a `[source,LANG]` listing with no annotations,
// and right under it what they print — the captured output, or else the expected output
// (labelled as such), or a visible note that nothing was captured yet. Hidden steps are left out.
// A pattern (`expect-output match=regex`) is never shown: readers see the `output` block after it,
// the author's realistic example until a run captures the real output (`runbook check` makes
// sure the example passes the pattern), or nothing when there is none (the prose says what is
// checked). Output blocks are titled "Example output" until a passing run has recorded that it
// captured them (`_readme/captured.json`).
import type { CommandStep, OutputBlock, Step } from '../model.ts';
import { isPattern } from '../check/examples.ts';
import { listing } from './adoc-syntax.ts';
import { renderDirective } from './directives.ts';
import { targetTitle } from './target-title.ts';
import type { ChapterContext } from './types.ts';

export function renderStep(step: Step, ctx: ChapterContext): string[] {
  if (step.hidden) return [];
  const blocks = step.type === 'directive' ? renderDirective(step, ctx) : [renderCommand(step)];
  return [...blocks, ...renderOutput(step, ctx)];
}

function renderCommand(step: CommandStep): string {
  const lang = step.lang || 'bash';
  return listing(step.code, { style: `source,${lang}`, title: targetTitle(step) });
}

function renderOutput(step: Step, ctx: ChapterContext): string[] {
  const shown = pickOutput(step);
  if (shown === 'todo') return [notCapturedNote()];
  if (!shown || shown.text.trim() === '') return [];
  return [listing(shown.text, { title: outputTitle(shown, ctx) })];
}

function outputTitle(shown: OutputBlock, ctx: ChapterContext): string {
  if (shown.kind === 'expect-output') return 'Expected output';
  // Until a passing run has recorded its capture, output blocks hold what the author wrote.
  return ctx.captured ? 'Output' : 'Example output';
}

function pickOutput(step: Step): OutputBlock | 'todo' | undefined {
  if (step.output && !step.output.todo) return step.output;
  if (step.expect && !step.expect.todo && !isPattern(step)) return step.expect;
  if (step.output?.todo || step.expect?.todo) return 'todo';
  return undefined;
}

function notCapturedNote(): string {
  return 'NOTE: Output not captured yet: the next `+runbook run --write+` records it here.';
}
