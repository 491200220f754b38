// Matchers are pure functions: (expected, actual) -> verdict with a readable diff on mismatch.
export interface MatchResult {
  ok: boolean;
  diff?: string; // human-readable explanation, present when !ok
}
export type Matcher = (expected: string, actual: string) => MatchResult;
