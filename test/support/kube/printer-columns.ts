// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The JSONPath subset CRDs use in additionalPrinterColumns (`.spec.hosts`, `.status.addresses[*].value`,
// `.status.conditions[?(@.type=="Programmed")].status`), printed the way the apiextensions server
// prints cells: strings as they are, numbers and booleans as text, lists and maps as JSON, several
// matches joined by commas, nothing found as an empty cell.

import type { KubeObject } from './resources.ts';

type Any = Record<string, any>;

function step(values: unknown[], token: string): unknown[] {
  const out: unknown[] = [];
  const filter = /^\[\?\(@\.([\w.-]+)=="([^"]*)"\)\]$/.exec(token);
  for (const value of values) {
    if (token === '[*]') {
      if (Array.isArray(value)) out.push(...value);
    } else if (filter) {
      if (Array.isArray(value)) out.push(...value.filter((item: Any) => String(item?.[filter[1]]) === filter[2]));
    } else if (/^\[\d+\]$/.test(token)) {
      if (Array.isArray(value)) out.push(value[Number(token.slice(1, -1))]);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      out.push((value as Any)[token]);
    }
  }
  return out.filter((v) => v !== undefined);
}

export function printerColumnCell(object: KubeObject, jsonPath: string): string {
  const tokens = jsonPath.match(/\[[^\]]*\]|[^.[\]]+/g) ?? [];
  let values: unknown[] = [object];
  for (const token of tokens) values = step(values, token);
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
}
