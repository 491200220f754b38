// Turns the tokens of a fence info string (or an AsciiDoc `runbook` attribute) into a validated
// annotation: the kind flag and the step attributes of contract §2. Every problem is an error
// naming file:line.
import { STEP_ID, type BlockKind, type MatcherName, type Position } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { tokenize, TokenError, type Token } from './tokens.ts';
import { parseDuration } from './duration.ts';

export const STEP_KINDS = ['run', 'verify', 'background', 'cleanup', 'skip'] as const;
export const BLOCK_KINDS: readonly BlockKind[] = [...STEP_KINDS, 'expect-output', 'output'];
export const MATCHERS: readonly MatcherName[] = ['exact', 'contains', 'regex', 'lines', 'elided', 'like'];

/** Attributes each block kind accepts (besides its kind flag). */
const COMMON_STEP_ATTRS = ['id', 'timeout', 'interval', 'exit', 'target', 'tags', 'cwd', 'stream'];
export const ATTRS: Record<BlockKind, string[]> = {
  run: COMMON_STEP_ATTRS,
  verify: COMMON_STEP_ATTRS,
  background: [...COMMON_STEP_ATTRS, 'ready', 'port'],
  cleanup: COMMON_STEP_ATTRS,
  skip: [...COMMON_STEP_ATTRS, 'reason'],
  'expect-output': ['match'],
  output: [],
};
export const STEP_FLAGS = ['hidden'];

export interface ParsedAnnotation {
  kind: BlockKind | null;
  attrs: Record<string, string>;
  flags: string[];
}

export function parseTokens(text: string, position: Position): Token[] {
  try {
    return tokenize(text);
  } catch (e) {
    throw new RunbookError((e as TokenError).message, position, undefined, 'Quote values that contain spaces: key="a value".');
  }
}

/** Parses the words after the language of a fence. Returns kind null for documentation fences. */
export function parseAnnotation(text: string, position: Position, lang = ''): ParsedAnnotation {
  if ((BLOCK_KINDS as string[]).includes(lang)) {
    throw new RunbookError(
      `"${lang}" stands where the language goes`,
      position,
      undefined,
      `The first word of a fence is its language: write \`\`\`${lang === 'output' || lang === 'expect-output' ? 'text' : 'bash'} ${[lang, text].filter(Boolean).join(' ')}`,
    );
  }
  const tokens = parseTokens(text, position);
  const kinds = tokens.filter((t) => t.value === undefined && (BLOCK_KINDS as string[]).includes(t.key));
  if (kinds.length === 0) {
    noKindButMeantOne(tokens, position);
    return { kind: null, attrs: {}, flags: [] };
  }
  if (kinds.length > 1) {
    throw new RunbookError(
      `more than one kind flag (${kinds.map((k) => k.key).join(', ')})`,
      position,
      undefined,
      `A block is exactly one of: ${BLOCK_KINDS.join(', ')}.`,
    );
  }
  const kind = kinds[0].key as BlockKind;
  const attrs: Record<string, string> = {};
  const flags: string[] = [];
  const isStep = (STEP_KINDS as readonly string[]).includes(kind);
  for (const t of tokens) {
    if (t === kinds[0]) continue;
    if (t.value === undefined) {
      if (isStep && STEP_FLAGS.includes(t.key) && !flags.includes(t.key)) {
        flags.push(t.key);
        continue;
      }
      throw unknownToken(t.key, kind, position);
    }
    if (!ATTRS[kind].includes(t.key)) throw unknownToken(t.key, kind, position);
    if (t.key in attrs) throw new RunbookError(`duplicate attribute ${t.key}=`, position);
    attrs[t.key] = t.value;
  }
  validateValues(kind, attrs, position);
  return { kind, attrs, flags };
}

/** Every attribute and flag a block kind takes: such a word on a kindless fence means a step was meant. */
const OURS = new Set([...Object.values(ATTRS).flat(), ...STEP_FLAGS]);

/**
 * A fence without a kind flag is documentation — unless its words show it was meant as a step
 * (`bash runn id=x`, `bash verfiy timeout=1m`, `bash id=x`): then silently skipping it would
 * hide a typo, so it is an error.
 */
function noKindButMeantOne(tokens: Token[], position: Position): void {
  for (const t of tokens) {
    const near = t.value === undefined ? closest(t.key, BLOCK_KINDS as string[]) : undefined;
    if (near || OURS.has(t.key)) {
      throw new RunbookError(
        near ? `unknown kind "${t.key}"` : `${t.key}${t.value === undefined ? '' : '='} without a kind flag`,
        position,
        undefined,
        `${near ? `Did you mean "${near}"? ` : ''}A step names its kind: ${BLOCK_KINDS.join(', ')}; a fence without one is documentation.`,
      );
    }
  }
}

function unknownToken(key: string, kind: BlockKind, position: Position): RunbookError {
  const allowed = [...ATTRS[kind].map((a) => `${a}=`), ...((STEP_KINDS as readonly string[]).includes(kind) ? STEP_FLAGS : [])];
  const near = closest(key, allowed.map((a) => a.replace(/=$/, '')));
  return new RunbookError(
    `unknown token "${key}" on a ${kind} block`,
    position,
    undefined,
    `${near ? `Did you mean "${near}"? ` : ''}Allowed here: ${allowed.join(' ') || '(none)'}.`,
  );
}

function validateValues(kind: BlockKind, attrs: Record<string, string>, position: Position): void {
  for (const key of ['timeout', 'interval']) {
    if (key in attrs && parseDuration(attrs[key]) === undefined) {
      throw new RunbookError(`bad duration ${key}=${attrs[key]}`, position, undefined, 'Use 500ms, 30s, 5m, 1h or a number of seconds (at most 596h).');
    }
  }
  if ('exit' in attrs && attrs.exit !== 'any' && !(/^\d{1,3}$/.test(attrs.exit) && Number(attrs.exit) <= 255)) {
    throw new RunbookError(`bad exit=${attrs.exit}`, position, undefined, 'Use a number 0-255 or "any".');
  }
  if ('stream' in attrs && attrs.stream !== 'stdout') {
    throw new RunbookError(`bad stream=${attrs.stream}`, position, undefined, 'The only stream is "stdout" (default: stdout and stderr interleaved).');
  }
  if ('port' in attrs && !/^\d{1,5}$/.test(attrs.port)) throw new RunbookError(`bad port=${attrs.port}`, position, undefined, 'Use a TCP port number.');
  if ('ready' in attrs) {
    try {
      new RegExp(attrs.ready);
    } catch (e) {
      throw new RunbookError(`bad ready= regex: ${(e as Error).message}`, position);
    }
  }
  if ('match' in attrs && !(MATCHERS as string[]).includes(attrs.match)) {
    throw new RunbookError(`unknown matcher match=${attrs.match}`, position, undefined, `Use one of: ${MATCHERS.join(', ')}.`);
  }
  if ('id' in attrs) checkStepId(attrs.id, position);
  if (kind === 'background' && ('interval' in attrs)) {
    throw new RunbookError('interval= applies to verify steps, not background', position);
  }
}

function checkStepId(id: string, position: Position): void {
  if (!STEP_ID.test(id)) {
    throw new RunbookError(`bad id=${id}`, position, undefined, 'Ids use letters, digits, ".", "_" and "-".');
  }
}

/** The nearest allowed word by edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      // Transposition counts as one edit so "timeuot" is close to "timeout".
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
