// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Label and field selectors as the API server parses them from ?labelSelector= and ?fieldSelector=.

import { fieldValue, type KubeObject, type ResourceType } from './resources.ts';

export class SelectorError extends Error {}

type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type ObjectPredicate = (object: KubeObject) => boolean;

const KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?/;
const VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?/;

/** Parses "app=web,tier!=db,env in (a,b),!legacy,canary" into one predicate over labels. */
export function parseLabelSelector(text: string | null): ObjectPredicate {
  if (!text || !text.trim()) return () => true;
  const requirements: LabelRequirement[] = [];
  let rest = text.trim();
  const fail = (why: string): never => {
    throw new SelectorError(`unable to parse requirement: found '${rest}', ${why} (selector "${text}")`);
  };
  const take = (pattern: RegExp): string => {
    const found = pattern.exec(rest)?.[0] ?? '';
    rest = rest.slice(found.length).trimStart();
    return found;
  };
  while (rest.length > 0) {
    const negated = rest.startsWith('!');
    if (negated) rest = rest.slice(1).trimStart();
    const key = take(KEY);
    if (!key) fail('expected a label key');
    if (negated) {
      requirements.push({ key, op: 'notexists' });
    } else if (rest.startsWith('!=')) {
      rest = rest.slice(2).trimStart();
      requirements.push({ key, op: 'neq', value: take(VALUE) });
    } else if (rest.startsWith('==') || rest.startsWith('=')) {
      rest = rest.slice(rest.startsWith('==') ? 2 : 1).trimStart();
      requirements.push({ key, op: 'eq', value: take(VALUE) });
    } else if (/^(in|notin)\s*\(/.test(rest)) {
      const op = rest.startsWith('in') ? 'in' : 'notin';
      rest = rest.slice(rest.indexOf('(') + 1);
      const close = rest.indexOf(')');
      if (close < 0) fail("expected ')'");
      const values = rest.slice(0, close).split(',').map((v) => v.trim()).filter((v) => v !== '');
      rest = rest.slice(close + 1).trimStart();
      requirements.push({ key, op, values });
    } else {
      requirements.push({ key, op: 'exists' });
    }
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (rest.length > 0) fail("expected ',' or an operator");
  }
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((r) => {
      const present = Object.hasOwn(labels, r.key);
      const value = labels[r.key];
      switch (r.op) {
        case 'eq': return present && value === r.value;
        case 'neq': return !present || value !== r.value;
        case 'in': return present && r.values.includes(value);
        case 'notin': return !present || !r.values.includes(value);
        case 'exists': return present;
        case 'notexists': return !present;
      }
    });
  };
}

/** Parses "metadata.name=web,status.phase!=Running" for the fields the real server indexes. */
export function parseFieldSelector(text: string | null, type: ResourceType): ObjectPredicate {
  if (!text || !text.trim()) return () => true;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...type.fieldLabels]);
  const terms = text.split(',').map((term) => {
    const match = /^\s*([A-Za-z0-9.]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(term);
    if (!match) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = match;
    if (!allowed.has(field)) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return { field, negated: op === '!=', value };
  });
  return (object) => terms.every((t) => (fieldValue(object, t.field) === t.value) !== t.negated);
}
