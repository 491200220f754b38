import type { Matcher } from './types.ts';
import { normalizeText } from './normalize.ts';
import { excerpt } from './excerpt.ts';

/** `regex`: a JavaScript regular expression (flag m) that must match somewhere in the output. */
export const regex: Matcher = (expected, actual) => {
  const source = normalizeText(expected);
  let re: RegExp;
  try {
    re = new RegExp(source, 'm');
  } catch (e) {
    return { ok: false, diff: `the expected regex does not compile: ${(e as Error).message}` };
  }
  if (re.test(normalizeText(actual))) return { ok: true };
  return { ok: false, diff: `expected the output to match /${source}/m\nactual output:\n${excerpt(normalizeText(actual))}` };
};
