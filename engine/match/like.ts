import type { Matcher } from './types.ts';
import { elidedWith } from './elided.ts';
import { makeLinesAlike } from './alike.ts';

/** `like`: `elided`, with each line compared token by token using the alike rules. */
export const like: Matcher = elidedWith(makeLinesAlike);
