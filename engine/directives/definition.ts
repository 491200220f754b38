// What a directive is, in one record: the attributes it takes (checked by the reader, and again
// at run time for values that came from $VARS), how it renders for readers, which namespaces it
// touches, whether it needs a cluster, and its runner (loaded only when a run needs it). Each
// directive is one such record in its own file; directives/index.ts lists them.
import type { DirectiveStep } from '../model.ts';
import type { ChapterContext } from '../render/types.ts';
import type { DirectiveHandler } from './types.ts';

/** What is wrong with one attribute value, or undefined when it is fine. */
export type ValueCheck = (value: string) => string | undefined;

export interface AttributeSpec {
  required?: boolean;
  /** Checks the value (after $VAR expansion at run time; literal values also at read time). */
  check?: ValueCheck;
  /** The default as the reference states it (test/reference.test.ts checks that it does). */
  defaultValue?: string;
}

export interface DirectiveDefinition {
  verb: string;
  /** The word after the verb when the verb has several forms (`wait rollout`, `wait istio`). */
  subject?: string;
  /** One line for `--help` and the docs. */
  summary: string;
  attrs: Record<string, AttributeSpec>;
  flags?: string[];
  /** Rules across attributes, checked once each attribute passed its own check. */
  check?(attrs: Record<string, string>, flags: readonly string[]): string | undefined;
  /** Talks to a Kubernetes cluster: the run then collects failure diagnostics and cluster facts. */
  needsCluster: boolean;
  /** The namespaces it works in (for failure diagnostics). */
  namespaces(step: DirectiveStep): string[];
  /** What a reader who runs things by hand sees: AsciiDoc blocks. */
  render(step: DirectiveStep, ctx: ChapterContext): string[];
  /** The runner, imported on first use so runs without this directive never load its dependencies. */
  load(): Promise<DirectiveHandler>;
}

/** How a step is named in messages: `wait rollout`, `ingress`. */
export function directiveName(definition: Pick<DirectiveDefinition, 'verb' | 'subject'>): string {
  return definition.subject ? `${definition.verb} ${definition.subject}` : definition.verb;
}
