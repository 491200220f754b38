// Label selectors as the API's query strings.
import type { V1LabelSelector } from '@kubernetes/client-node';

/** `{app: 'x', version: 'v1'}` → `app=x,version=v1` (a Service's selector). */
export function labelMapSelector(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A Deployment's selector (matchLabels and matchExpressions) as a query string. */
export function labelSelectorString(selector: V1LabelSelector | undefined): string {
  const parts = [labelMapSelector(selector?.matchLabels)].filter(Boolean);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
