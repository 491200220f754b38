// What the reader checks directives against (engine/read/directive.ts), derived from the records
// in index.ts: per verb, its subjects, the attributes and flags any of its forms takes, and a
// check that applies the chosen form's own rules (validate.ts).
import { DIRECTIVES, definitionOf } from './index.ts';
import { attributeProblem, STEP_ATTRS, STEP_FLAGS } from './validate.ts';

export interface DirectiveSpec {
  verb: string;
  /** Allowed values of the first word after the verb (e.g. `wait rollout`); none when absent. */
  subjects?: string[];
  attrs: string[];
  flags?: string[];
  /** Every rule of the chosen form: values, required attributes, rules across attributes. */
  check?(attrs: Record<string, string>, subject: string | undefined, flags?: string[]): string | undefined;
}

export { STEP_ATTRS, STEP_FLAGS };

function specFor(verb: string): DirectiveSpec {
  const forms = DIRECTIVES.filter((d) => d.verb === verb);
  const subjects = forms.map((d) => d.subject).filter((s): s is string => s !== undefined);
  return {
    verb,
    subjects: subjects.length ? subjects : undefined,
    attrs: [...new Set(forms.flatMap((d) => Object.keys(d.attrs)))],
    flags: [...new Set(forms.flatMap((d) => d.flags ?? []))],
    check(attrs, subject, flags = []) {
      const definition = definitionOf({ verb, args: subject ? [subject] : [] });
      if (!definition) return undefined; // the reader reports a missing or unknown subject itself
      return attributeProblem(definition, attrs, 'read', flags);
    },
  };
}

export const DIRECTIVE_SPECS: Record<string, DirectiveSpec> = Object.fromEntries([...new Set(DIRECTIVES.map((d) => d.verb))].map((verb) => [verb, specFor(verb)]));
