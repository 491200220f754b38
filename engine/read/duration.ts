// Durations as the contract writes them: 500ms, 30s, 5m, 1h, a bare number of seconds,
// or a combination such as 1m30s.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Timers hold at most 2^31-1 ms (about 24.8 days); a longer "timeout" would fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Milliseconds, or undefined when the text is not a duration (or longer than timers allow). */
export function parseDuration(text: string): number | undefined {
  const ms = parseAnyDuration(text);
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

function parseAnyDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (!t) return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < t.length) {
    const m = PART.exec(t);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return Math.round(total);
}

/** Human form for messages: 1500 -> "1.5s", 120000 -> "2m". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}
