// Line alignment of expected against actual, where a line that is only `...` matches any run of
// actual lines. Used both to decide `elided`/`like` and to draw the diff when they fail.

export type LinePredicate = (expected: string, actual: string) => boolean;
export const ELLIPSIS = '...';

export interface DiffLine {
  op: ' ' | '-' | '+' | '~'; // same, only expected, only actual, absorbed by `...`
  text: string;
}

/** True when the whole of `actual` is covered by `expected` in order. */
export function alignsFully(expected: string[], actual: string[], same: LinePredicate): boolean {
  // reach[j] = expected[0..i) can cover actual[0..j)
  let reach: boolean[] = new Array(actual.length + 1).fill(false);
  reach[0] = true;
  for (const e of expected) {
    const next: boolean[] = new Array(actual.length + 1).fill(false);
    if (e.trim() === ELLIPSIS) {
      let seen = false;
      for (let j = 0; j <= actual.length; j++) {
        seen ||= reach[j];
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < actual.length; j++) if (reach[j] && same(e, actual[j])) next[j + 1] = true;
    }
    reach = next;
  }
  return reach[actual.length];
}

/**
 * The best alignment (most matched lines) as diff lines, for showing why a match failed.
 * O(n·m) dynamic programming; fine for command outputs.
 */
export function alignedDiff(expected: string[], actual: string[], same: LinePredicate): DiffLine[] {
  const n = expected.length;
  const m = actual.length;
  // score[i][j]: most matches aligning expected[i..] with actual[j..]
  const score: Int32Array[] = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const wild = expected[i].trim() === ELLIPSIS;
    for (let j = m; j >= 0; j--) {
      let best = score[i + 1][j]; // drop expected[i]
      if (j < m) {
        best = Math.max(best, score[i][j + 1]); // extra actual line
        if (wild) best = Math.max(best, score[i][j + 1] + 1);
        else if (same(expected[i], actual[j])) best = Math.max(best, score[i + 1][j + 1] + 1);
      }
      score[i][j] = best;
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const wild = i < n && expected[i].trim() === ELLIPSIS;
    if (i < n && j < m && wild && score[i][j] === score[i][j + 1] + 1) {
      out.push({ op: '~', text: actual[j++] });
    } else if (i < n && j < m && !wild && same(expected[i], actual[j]) && score[i][j] === score[i + 1][j + 1] + 1) {
      out.push({ op: ' ', text: actual[j++] });
      i++;
    } else if (i < n && (j === m || score[i][j] === score[i + 1][j])) {
      if (!wild) out.push({ op: '-', text: expected[i] });
      i++;
    } else {
      out.push({ op: '+', text: actual[j++] });
    }
  }
  return out;
}

/** Renders a diff with a little context around changes; `-` expected, `+` actual. */
export function formatDiff(lines: DiffLine[], context = 3): string {
  const changed = lines.map((l) => l.op === '-' || l.op === '+');
  const keep = lines.map((_, k) => {
    for (let d = -context; d <= context; d++) if (changed[k + d]) return true;
    return false;
  });
  const out = ['--- expected', '+++ actual'];
  let skipped = false;
  lines.forEach((l, k) => {
    if (!keep[k]) {
      if (!skipped) out.push('@@ … @@');
      skipped = true;
      return;
    }
    skipped = false;
    out.push(`${l.op === '~' ? ' ' : l.op}${l.text}`);
  });
  return out.join('\n');
}
