// The namespaces a run has touched so far, for failure diagnostics: those its Kubernetes
// directives work in (each directive's record says which) and those named by `-n NS` /
// `--namespace NS` in kubectl and istioctl commands, plus `default`.
import type { StepResult } from '../execute/results.ts';
import { definitionOf } from '../directives/index.ts';

const NAMESPACE_FLAG = /(?:^|\s)(?:-n|--namespace)(?:=|\s+)["']?([a-z0-9][-a-z0-9]{0,62})(?=["']?(?:\s|$|;|\||&|\)))/g;
const NAME = /^[a-z0-9][-a-z0-9]{0,62}$/;

export function touchedNamespaces(results: readonly StepResult[], limit = 8): string[] {
  const found: string[] = [];
  const add = (ns: string | undefined) => {
    if (ns && NAME.test(ns) && !found.includes(ns)) found.push(ns);
  };
  for (const { step } of results) {
    if (step.type === 'directive') {
      for (const ns of definitionOf(step)?.namespaces(step) ?? []) add(ns);
      continue;
    }
    for (const line of step.code.split('\n')) {
      if (!/\b(kubectl|istioctl)\b/.test(line)) continue;
      for (const match of line.matchAll(NAMESPACE_FLAG)) add(match[1]);
    }
  }
  // The most recent ones matter most when there are many.
  const recent = found.slice(-(limit - 1));
  return recent.includes('default') ? recent : [...recent, 'default'];
}
