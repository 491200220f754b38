import type { Matcher } from './types.ts';
import { normalizeLines } from './normalize.ts';
import { excerpt } from './excerpt.ts';

/** `lines`: every expected line occurs somewhere in the output, in any order. */
export const lines: Matcher = (expected, actual) => {
  const present = new Set(normalizeLines(actual).map((l) => l.trim()));
  const missing = normalizeLines(expected).filter((l) => l.trim() !== '' && !present.has(l.trim()));
  if (missing.length === 0) return { ok: true };
  return {
    ok: false,
    diff: `missing from the output:\n${missing.map((l) => `- ${l}`).join('\n')}\nactual output:\n${excerpt(normalizeLines(actual).join('\n'))}`,
  };
};
