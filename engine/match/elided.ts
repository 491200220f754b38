import type { Matcher } from './types.ts';
import { normalizeLines } from './normalize.ts';
import { alignedDiff, alignsFully, formatDiff, type LinePredicate } from './align.ts';

/** Builds an elided-style matcher: `...` lines match any run of lines; other lines via `same`. */
export function elidedWith(same: LinePredicate): Matcher {
  return (expected, actual) => {
    const e = normalizeLines(expected);
    const a = normalizeLines(actual);
    if (alignsFully(e, a, same)) return { ok: true };
    return { ok: false, diff: formatDiff(alignedDiff(e, a, same)) };
  };
}

/** `elided`: lines equal and in order, where a `...` line stands for any number of lines. */
export const elided: Matcher = elidedWith((e, a) => e === a);
