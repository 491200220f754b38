// Directives as a reader who runs things by hand sees them: each directive's record renders
// itself (engine/directives/records/<verb>.ts) — the kubectl commands that do what the engine does through
// the API, or the screenshot as an image. Values keep their $VARS, which the reader's shell expands
// just as the run did.
import type { DirectiveStep } from '../model.ts';
import { definitionOf } from '../directives/index.ts';
import type { ChapterContext } from './types.ts';

export { shellWord } from '../directives/render-helpers.ts';

export function renderDirective(step: DirectiveStep, ctx: ChapterContext): string[] {
  const definition = definitionOf(step);
  // The reader admits only directives that have a record, so this is a broken build, not bad input.
  if (!definition) throw new Error(`no renderer for the ${step.verb} directive at ${step.position.file}:${step.position.line}`);
  return definition.render(step, ctx);
}
