// Checks of directive attribute values, in the words of the Kubernetes API's own validation where
// one applies (DNS-1123 labels and subdomains, label selectors), so a mistyped value is refused at
// read time with file:line instead of failing half-way through a run.
import type { ValueCheck } from './definition.ts';
import { STEP_ID } from '../model.ts';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A namespace or Service name: an RFC 1123 label. */
export const dnsLabel: ValueCheck = (value) => {
  if (value.length > 63) return `"${value}" is longer than 63 characters (a Kubernetes name is at most 63)`;
  if (!LABEL.test(value)) return `"${value}" is not a valid name: use lower-case letters, digits and "-", starting and ending with a letter or digit`;
  return undefined;
};

/** A Deployment, pod or Gateway name: an RFC 1123 subdomain. */
export const dnsSubdomain: ValueCheck = (value) => {
  if (value.length > 253) return `"${value}" is longer than 253 characters`;
  if (!value.split('.').every((part) => SUBDOMAIN_PART.test(part))) {
    return `"${value}" is not a valid name: use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
};

/** The items of a comma-separated value, trimmed (the checks refuse empty ones); none when absent. */
export const commaItems = (value: string | undefined): string[] => (value ? value.split(',').map((item) => item.trim()) : []);

/** A check of a comma-separated list: the first item's problem, if any. */
export const listOf =
  (check: ValueCheck): ValueCheck =>
  (value) => {
    for (const item of commaItems(value)) {
      const problem = check(item);
      if (problem) return problem;
    }
    return undefined;
  };

/** `KIND/NAME` or `KIND/NAMESPACE/NAME`, its namespace `namespace` when it names none. */
export function kindReference(item: string, namespace: string): { kind: string; namespace: string; name: string } {
  const parts = item.split('/');
  return { kind: parts[0], namespace: parts.length === 3 ? parts[1] : namespace, name: parts[parts.length - 1] };
}

/** Comma-separated list of namespaces. */
export const namespaceList: ValueCheck = listOf(dnsLabel);

function labelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : ['', key];
  if (slash >= 0 && dnsSubdomain(prefix)) return `label key "${key}" has an invalid prefix "${prefix}"`;
  if (!name || name.length > 63 || !QUALIFIED_NAME.test(name)) return `"${key}" is not a valid label key`;
  return undefined;
}

/** A label selector as kubectl -l takes it: `app=web`, `tier!=db`, `env in (a,b)`, `!legacy`, `canary`. */
export const labelSelector: ValueCheck = (value) => {
  const requirements: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of value) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth < 0) return `unbalanced ")" in selector "${value}"`;
    if (c === ',' && depth === 0) {
      requirements.push(current);
      current = '';
    } else current += c;
  }
  if (depth !== 0) return `unbalanced "(" in selector "${value}"`;
  requirements.push(current);
  for (const raw of requirements) {
    const r = raw.trim();
    if (!r) return `selector "${value}" has an empty requirement`;
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r);
    const compare = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(r);
    const exists = /^(!?)([^=!\s()]+)$/.exec(r);
    const key = set?.[1] ?? compare?.[1] ?? exists?.[2];
    if (!key) return `cannot read "${r}" in selector "${value}": use key=value, key!=value, key in (a,b), key or !key`;
    const keyProblem = labelKey(key);
    if (keyProblem) return `${keyProblem} in selector "${value}"`;
    const values = set ? set[3].split(',').map((v) => v.trim()) : compare ? [compare[3]] : [];
    for (const v of values) if (v.length > 63 || !LABEL_VALUE.test(v)) return `"${v}" is not a valid label value in selector "${value}"`;
  }
  return undefined;
};

/** A TCP port: 1-65535. */
export function portNumber(text: string): string | undefined {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) return `${text} is not a TCP port (1-65535)`;
  return undefined;
}

/** `LOCAL` or `LOCAL:REMOTE`, both TCP ports. */
export const portPair: ValueCheck = (value) => {
  const parts = value.split(':');
  if (parts.length > 2 || parts.some((p) => p === '')) return `"${value}" is not LOCAL or LOCAL:REMOTE (two TCP ports)`;
  for (const part of parts) {
    const problem = portNumber(part);
    if (problem) return problem;
  }
  return undefined;
};

/** An absolute http(s) URL. */
export const httpUrl: ValueCheck = (value) => {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${value}" is not an http(s) URL`;
  } catch {
    return `"${value}" is not an absolute URL (such as http://127.0.0.1:8080/productpage)`;
  }
  return undefined;
};

/** Any text that is not blank. */
export const nonBlank: ValueCheck = (value) => (value.trim() ? undefined : 'is blank');

/** Ids of steps, the same rule as on fenced steps. */
export const stepId: ValueCheck = (value) =>
  STEP_ID.test(value) ? undefined : `"${value}" is not an id: ids use letters, digits, ".", "_" and "-"`;

/** Comma-separated words (targets, tags). */
export const wordList: ValueCheck = (value) =>
  value.split(',').every((w) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(w.trim())) ? undefined : `"${value}" is not a comma-separated list of names`;
