// Checks a directive's attributes against its definition: the reader calls it with the values as
// written (values holding $VARS are left for later), the executor again with the values expanded
// from the session, so every attribute is checked before the directive does anything.
import { directiveName, type DirectiveDefinition, type ValueCheck } from './definition.ts';
import { stepId, wordList } from './values.ts';

/** Attributes every directive takes, like any step (timeout= is checked by the reader's duration rules). */
export const STEP_ATTRS = ['id', 'timeout', 'target', 'tags'];
export const STEP_FLAGS = ['hidden'];
const STEP_CHECKS: Record<string, ValueCheck> = { id: stepId, target: wordList, tags: wordList };

export type CheckPhase = 'read' | 'run';

export function attributeProblem(definition: DirectiveDefinition, attrs: Record<string, string>, phase: CheckPhase, flags: readonly string[] = []): string | undefined {
  const name = directiveName(definition);
  for (const [key, value] of Object.entries(attrs)) {
    const spec = definition.attrs[key];
    if (!spec && !STEP_ATTRS.includes(key)) {
      const takes = Object.keys(definition.attrs).map((a) => `${a}=`).join(' ') || 'no attributes of its own';
      return `${name} takes no ${key}=; it takes ${takes}`;
    }
    if (value.trim() === '') return `${key}= is empty: give it a value or leave it out`;
    const stepCheck = STEP_CHECKS[key];
    if (stepCheck) {
      if (phase === 'read') {
        const problem = stepCheck(value);
        if (problem) return `bad ${key}=${value}: ${problem}`;
      }
      continue;
    }
    if (phase === 'read' && value.includes('$')) continue; // judged once the session has expanded it
    const problem = spec?.check?.(value);
    if (problem) return `bad ${key}=${value}: ${problem}`;
  }
  for (const [key, spec] of Object.entries(definition.attrs)) {
    if (spec.required && !(key in attrs)) return `${definition.verb} needs ${key}=`;
  }
  return definition.check?.(attrs, flags);
}
