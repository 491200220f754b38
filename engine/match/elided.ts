import type { Matcher } from './types.ts';
import { normalizeLines } from './normalize.ts';
import { alignsFully, ComparisonBudgetExceeded, lineDiff, type LinePredicate } from './align.ts';

/**
 * Builds an elided-style matcher: `...` lines match any run of lines; other lines via the
 * predicate `makeSame()` returns (made afresh for each match, so it may cache per call).
 */
export function elidedWith(makeSame: () => LinePredicate): Matcher {
  return (expected, actual) => {
    const e = normalizeLines(expected);
    const a = normalizeLines(actual);
    const same = makeSame();
    try {
      if (alignsFully(e, a, same)) return { ok: true };
    } catch (error) {
      if (!(error instanceof ComparisonBudgetExceeded)) throw error;
      return { ok: false, diff: `${error.message}; match a smaller part of it (fewer \`...\` lines, or match=contains)\n${lineDiff(e, a, same)}` };
    }
    return { ok: false, diff: lineDiff(e, a, same) };
  };
}

/** `elided`: lines equal and in order, where a `...` line stands for any number of lines. */
export const elided: Matcher = elidedWith(() => (e, a) => e === a);
