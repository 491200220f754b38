// Parses `runbook: VERB [SUBJECT] key=value ...` directives and checks them against their spec.
import type { Position } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { DIRECTIVE_SPECS, STEP_ATTRS, STEP_FLAGS } from '../directives/specs.ts';
import { closest, parseTokens } from './annotations.ts';
import { parseDuration } from './duration.ts';

export interface ParsedDirective {
  verb: string;
  args: string[];
  attrs: Record<string, string>;
  flags: string[];
}

export function parseDirective(text: string, position: Position): ParsedDirective {
  const tokens = parseTokens(text, position);
  const verbToken = tokens.shift();
  const verbs = Object.keys(DIRECTIVE_SPECS);
  if (!verbToken || verbToken.value !== undefined) {
    throw new RunbookError('directive without a verb', position, undefined, `Write "runbook: VERB ...", VERB one of: ${verbs.join(', ')}.`);
  }
  const spec = DIRECTIVE_SPECS[verbToken.key];
  if (!spec) {
    const near = closest(verbToken.key, verbs);
    throw new RunbookError(`unknown directive "${verbToken.key}"`, position, undefined, `${near ? `Did you mean "${near}"? ` : ''}Directives are: ${verbs.join(', ')}.`);
  }
  const args: string[] = [];
  const attrs: Record<string, string> = {};
  const flags: string[] = [];
  const allowedAttrs = [...spec.attrs, ...STEP_ATTRS];
  const allowedFlags = [...(spec.flags ?? []), ...STEP_FLAGS];
  for (const t of tokens) {
    if (t.value === undefined) {
      if (spec.subjects && args.length === 0 && Object.keys(attrs).length === 0 && !allowedFlags.includes(t.key)) {
        args.push(t.key);
        continue;
      }
      if (allowedFlags.includes(t.key)) {
        flags.push(t.key);
        continue;
      }
      throw new RunbookError(`unknown flag "${t.key}" on ${spec.verb}`, position, undefined, `Flags here: ${allowedFlags.join(' ')}.`);
    }
    if (!allowedAttrs.includes(t.key)) {
      const near = closest(t.key, allowedAttrs);
      throw new RunbookError(
        `unknown attribute "${t.key}=" on ${spec.verb}`,
        position,
        undefined,
        `${near ? `Did you mean "${near}"? ` : ''}Allowed: ${allowedAttrs.map((a) => `${a}=`).join(' ')}.`,
      );
    }
    if (t.key in attrs) throw new RunbookError(`duplicate attribute ${t.key}=`, position);
    attrs[t.key] = t.value;
  }
  if (spec.subjects) {
    if (args.length === 0 || !spec.subjects.includes(args[0])) {
      throw new RunbookError(`${spec.verb} needs one of: ${spec.subjects.join(', ')}`, position, undefined, `Example: runbook: ${spec.verb} ${spec.subjects[0]} namespace=default`);
    }
  }
  if ('timeout' in attrs && parseDuration(attrs.timeout) === undefined) {
    throw new RunbookError(`bad duration timeout=${attrs.timeout}`, position, undefined, 'Use 500ms, 30s, 5m, 1h or a number of seconds.');
  }
  const problem = spec.check?.(attrs, args[0], flags);
  if (problem) throw new RunbookError(problem, position);
  return { verb: spec.verb, args, attrs, flags };
}
