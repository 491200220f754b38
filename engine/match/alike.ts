// Token rules of the `like` matcher: values that legitimately differ between runs (ages,
// durations, IPs, timestamps, generated pod names) are alike; everything else must be equal.

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|y))+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const POD_SUFFIX = /-[a-z0-9]{5}$/;
const REPLICASET_HASH = /-[a-z0-9]{6,10}$/;

/** The stem of a generated Kubernetes name, or undefined when the token has no generated suffix. */
export function generatedNameStem(token: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(token)) return undefined;
  let stem = token.replace(POD_SUFFIX, '');
  if (stem === token) return undefined;
  stem = stem.replace(REPLICASET_HASH, '');
  return stem || undefined;
}

export function tokensAlike(expected: string, actual: string): boolean {
  if (expected === actual || expected === '...') return true;
  if (DURATION.test(expected) && DURATION.test(actual)) return true;
  if (IPV4.test(expected) && IPV4.test(actual)) return true;
  if (ISO_TIMESTAMP.test(expected) && ISO_TIMESTAMP.test(actual)) return true;
  const a = generatedNameStem(expected);
  return a !== undefined && a === generatedNameStem(actual);
}

/** Two lines are alike when they have the same number of whitespace-separated tokens, pairwise alike. */
export function linesAlike(expected: string, actual: string): boolean {
  return makeLinesAlike()(expected, actual);
}

/** linesAlike, splitting each distinct line into tokens once (a diff compares a line many times). */
export function makeLinesAlike(): (expected: string, actual: string) => boolean {
  const split = new Map<string, string[]>();
  const tokens = (line: string) => {
    let t = split.get(line);
    if (!t) split.set(line, (t = line.trim().split(/\s+/)));
    return t;
  };
  return (expected, actual) => {
    if (expected === actual) return true;
    const e = tokens(expected);
    const a = tokens(actual);
    if (e.length !== a.length) return false;
    return e.every((t, i) => tokensAlike(t, a[i]));
  };
}
