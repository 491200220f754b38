// The matcher registry, by the names `match=` accepts.
import type { MatcherName } from '../model.ts';
import type { Matcher } from './types.ts';
import { exact } from './exact.ts';
import { contains } from './contains.ts';
import { regex } from './regex.ts';
import { lines } from './lines.ts';
import { elided } from './elided.ts';
import { like } from './like.ts';

export const matchers: Record<MatcherName, Matcher> = { exact, contains, regex, lines, elided, like };
export type { Matcher, MatchResult } from './types.ts';
