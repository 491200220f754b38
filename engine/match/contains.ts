import type { Matcher } from './types.ts';
import { normalizeText } from './normalize.ts';
import { excerpt } from './excerpt.ts';

/** `contains`: the expected text occurs somewhere in the output. */
export const contains: Matcher = (expected, actual) => {
  const e = normalizeText(expected);
  const a = normalizeText(actual);
  if (a.includes(e)) return { ok: true };
  return { ok: false, diff: `expected the output to contain:\n${indent(e)}\nactual output:\n${excerpt(a)}` };
};

export function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
