// Pieces the directives' renderers share: shell words that keep $VARS for the reader's shell, and
// bash listings with the step's target in the title.
import type { DirectiveStep } from '../model.ts';
import { listing } from '../render/adoc-syntax.ts';
import { formatDuration } from '../read/duration.ts';
import { shellQuote } from '../execute/shell-scripts.ts';
import type { ChapterContext } from '../render/types.ts';

export const bash = (code: string, title?: string) => listing(code, { style: 'source,bash', title });

/** A shell word: bare when safe, in double quotes when it holds $VARS, else in single quotes. */
export function shellWord(value: string): string {
  if (/^[\w./:=,@%+-]+$/.test(value)) return value;
  if (/\$/.test(value) && !/["`\\]/.test(value)) return `"${value}"`;
  return shellQuote(value);
}

export const namespaceFlag = (ns: string | undefined) => (ns ? `-n ${shellWord(ns)} ` : '');

/** `--timeout=5m`: the step's timeout= as written, else the runbook's default. */
export function timeoutFlag(step: DirectiveStep, ctx: ChapterContext): string {
  return `--timeout=${step.attrs.timeout ?? formatDuration(step.timeoutMs ?? ctx.runbook.settings.timeoutMs)}`;
}
