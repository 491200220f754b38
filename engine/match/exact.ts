import type { Matcher } from './types.ts';
import { normalizeLines } from './normalize.ts';
import { lineDiff } from './align.ts';

/** `exact`: equal after normalising trailing whitespace and surrounding blank lines. */
export const exact: Matcher = (expected, actual) => {
  const e = normalizeLines(expected);
  const a = normalizeLines(actual);
  if (e.join('\n') === a.join('\n')) return { ok: true };
  return { ok: false, diff: lineDiff(e, a, (x, y) => x === y, false) };
};
