// Line alignment of expected against actual, where a line that is only `...` matches any run of
// actual lines. Used both to decide `elided`/`like` and to draw the diff when they fail.
//
// Both are bounded, whatever the sizes: deciding is linear for expectations without `...` and
// a leftmost-first scan otherwise; a diff trims the common head and tail, aligns what is left
// exactly when it is small, with a linear-space Myers walk when it is large, and past a budget
// of line comparisons says where the outputs part ways instead. A 20,000-line mismatch is
// reported in well under a second, so Ctrl-C is never stuck behind a diff.

export type LinePredicate = (expected: string, actual: string) => boolean;
export const ELLIPSIS = '...';

export interface DiffLine {
  op: ' ' | '-' | '+' | '~'; // same, only expected, only actual, absorbed by `...`
  text: string;
}

/** Line comparisons one decision or one diff may make (a few hundred milliseconds at most). */
export const COMPARISON_BUDGET = 2_000_000;
/** Cells of the exact alignment table (4 bytes each); larger middles take the Myers walk. */
const TABLE_CELLS = 1_000_000;
/** Edit distance the Myers walk follows before settling for a summary. */
const MAX_EDITS = 1000;
/** Changed lines a rendered diff shows at most. */
const MAX_SHOWN_CHANGES = 400;

export class ComparisonBudgetExceeded extends Error {
  constructor() {
    super(`the output is too large to compare with this expectation within ${COMPARISON_BUDGET.toLocaleString('en')} line comparisons`);
  }
}

const isEllipsis = (line: string) => line.trim() === ELLIPSIS;
/** Whether an expected line absorbs any run of actual lines in the diff being drawn. */
type IsWild = (line: string) => boolean;
const neverWild: IsWild = () => false;

/** Counts comparisons and stops the caller once the budget is spent. */
function budgeted(same: LinePredicate): LinePredicate {
  let left = COMPARISON_BUDGET;
  return (e, a) => {
    if (--left < 0) throw new ComparisonBudgetExceeded();
    return same(e, a);
  };
}

/**
 * True when the whole of `actual` is covered by `expected` in order. Runs of lines between
 * `...` lines are placed leftmost-first, which is exact for patterns of this kind (a `...`
 * absorbs anything, so leaving more room to the right never hurts). Throws
 * ComparisonBudgetExceeded on pathological inputs.
 */
export function alignsFully(expected: string[], actual: string[], sameLine: LinePredicate): boolean {
  const same = budgeted(sameLine);
  const matchesAt = (segment: string[], at: number) => segment.every((line, k) => same(line, actual[at + k]));
  if (!expected.some(isEllipsis)) return expected.length === actual.length && matchesAt(expected, 0);
  const segments: string[][] = [[]];
  for (const line of expected) {
    if (!isEllipsis(line)) segments[segments.length - 1].push(line);
    else if (segments[segments.length - 1].length) segments.push([]);
  }
  const first = isEllipsis(expected[0]) ? [] : segments.shift()!;
  const last = isEllipsis(expected[expected.length - 1]) ? [] : segments.pop() ?? [];
  if (segments.length && segments[segments.length - 1].length === 0) segments.pop();
  const lastStart = actual.length - last.length;
  if (first.length + last.length > actual.length || !matchesAt(first, 0) || !matchesAt(last, lastStart)) return false;
  let pos = first.length;
  for (const segment of segments) {
    let at = pos;
    while (at + segment.length <= lastStart && !matchesAt(segment, at)) at++;
    if (at + segment.length > lastStart) return false;
    pos = at + segment.length;
  }
  return true;
}

/**
 * A readable diff of why `actual` does not fit `expected`: `-` expected, `+` actual. With
 * `ellipsis` (elided, like), a `...` line absorbs any run of actual lines.
 */
export function lineDiff(expected: string[], actual: string[], sameLine: LinePredicate, ellipsis = true): string {
  return lineDiffNow(expected, actual, budgeted(sameLine), ellipsis ? isEllipsis : neverWild);
}

function lineDiffNow(expected: string[], actual: string[], same: LinePredicate, isWild: IsWild): string {
  const n = expected.length;
  const m = actual.length;
  let head = 0;
  let tail = 0;
  try {
    while (head < n && head < m && !isWild(expected[head]) && same(expected[head], actual[head])) head++;
    while (tail < n - head && tail < m - head && !isWild(expected[n - 1 - tail]) && same(expected[n - 1 - tail], actual[m - 1 - tail])) tail++;
    const e = expected.slice(head, n - tail);
    const a = actual.slice(head, m - tail);
    const middle =
      (e.length + 1) * (a.length + 1) <= TABLE_CELLS ? tableDiff(e, a, same, isWild) : e.some(isEllipsis) ? undefined : myersDiff(e, a, same);
    if (middle) {
      const around = (lines: string[]): DiffLine[] => lines.map((text) => ({ op: ' ', text }));
      return formatDiff([...around(actual.slice(0, head)), ...middle, ...around(actual.slice(m - tail))]);
    }
  } catch (e) {
    if (!(e instanceof ComparisonBudgetExceeded)) throw e;
  }
  return summary(expected, actual, head);
}

/** Exact best alignment (most matched lines) by dynamic programming; for small inputs. */
function tableDiff(expected: string[], actual: string[], same: LinePredicate, isWild: IsWild): DiffLine[] {
  const n = expected.length;
  const m = actual.length;
  const w = m + 1;
  // score[i*w + j]: most matches aligning expected[i..] with actual[j..]; match[i*w+j]: they are alike
  const score = new Int32Array((n + 1) * w);
  const match = new Uint8Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    const wild = isWild(expected[i]);
    for (let j = m; j >= 0; j--) {
      let best = score[(i + 1) * w + j]; // drop expected[i]
      if (j < m) {
        best = Math.max(best, score[i * w + j + 1]); // extra actual line
        if (wild) best = Math.max(best, score[i * w + j + 1] + 1);
        else if (same(expected[i], actual[j])) {
          match[i * w + j] = 1;
          best = Math.max(best, score[(i + 1) * w + j + 1] + 1);
        }
      }
      score[i * w + j] = best;
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const wild = i < n && isWild(expected[i]);
    const here = score[i * w + j];
    if (i < n && j < m && wild && here === score[i * w + j + 1] + 1) {
      out.push({ op: '~', text: actual[j++] });
    } else if (i < n && j < m && !wild && match[i * w + j] && here === score[(i + 1) * w + j + 1] + 1) {
      out.push({ op: ' ', text: actual[j++] });
      i++;
    } else if (i < n && (j === m || here === score[(i + 1) * w + j])) {
      if (!wild) out.push({ op: '-', text: expected[i] });
      i++;
    } else {
      out.push({ op: '+', text: actual[j++] });
    }
  }
  return out;
}

/**
 * Myers' greedy O((n+m)·D) walk for large inputs without `...`; memory grows with the number
 * of edits only. Undefined when the outputs differ in more than MAX_EDITS lines.
 */
function myersDiff(expected: string[], actual: string[], same: LinePredicate): DiffLine[] | undefined {
  const n = expected.length;
  const m = actual.length;
  const offset = MAX_EDITS + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= MAX_EDITS; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && same(expected[x], actual[y])) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m, expected, actual);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], depth: number, n: number, m: number, expected: string[], actual: string[]): DiffLine[] {
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = depth; d >= 0; d--) {
    const v = trace[d]; // the furthest x of each diagonal k before step d, at index k + d + 1
    const at = (k: number) => v[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: ' ', text: actual[--y] });
      x--;
    }
    if (d > 0) out.push(x === prevX ? { op: '+', text: actual[prevY] } : { op: '-', text: expected[prevX] });
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

/** What can be said cheaply: the sizes, and the lines around the first difference. */
function summary(expected: string[], actual: string[], at: number): string {
  const lines = [
    '--- expected',
    '+++ actual',
    `@@ too many differences to show them all (expected ${expected.length} lines, actual ${actual.length}); the first is at line ${at + 1} @@`,
    ...actual.slice(Math.max(0, at - 3), at).map((l) => ` ${l}`),
    ...expected.slice(at, at + 10).map((l) => `-${l}`),
    ...actual.slice(at, at + 10).map((l) => `+${l}`),
  ];
  return lines.join('\n');
}

/** Renders a diff with a little context around changes; `-` expected, `+` actual. */
export function formatDiff(lines: DiffLine[], context = 3): string {
  const changed = lines.map((l) => l.op === '-' || l.op === '+');
  // keep[k]: within `context` lines of a change (two sweeps, linear)
  const keep = new Uint8Array(lines.length);
  for (let k = 0, last = -Infinity; k < lines.length; k++) {
    if (changed[k]) last = k;
    if (k - last <= context) keep[k] = 1;
  }
  for (let k = lines.length - 1, next = Infinity; k >= 0; k--) {
    if (changed[k]) next = k;
    if (next - k <= context) keep[k] = 1;
  }
  const out = ['--- expected', '+++ actual'];
  let skipped = false;
  let shownChanges = 0;
  const totalChanges = changed.filter(Boolean).length;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    if (!keep[k]) {
      if (!skipped) out.push('@@ … @@');
      skipped = true;
      continue;
    }
    skipped = false;
    if (changed[k] && ++shownChanges > MAX_SHOWN_CHANGES) {
      out.push(`@@ … ${totalChanges - MAX_SHOWN_CHANGES} more changed lines not shown @@`);
      break;
    }
    out.push(`${l.op === '~' ? ' ' : l.op}${l.text}`);
  }
  return out.join('\n');
}
