// Directive handlers by verb. Each is loaded on first use so a run that needs no browser or
// Kubernetes client never pays for loading them.
import type { DirectiveHandler } from './types.ts';

type Loader = () => Promise<DirectiveHandler>;

export const DIRECTIVE_HANDLERS: Record<string, Loader> = {
  screenshot: () => import('./screenshot.ts').then((m) => m.handler),
  wait: () => import('./wait.ts').then((m) => m.handler),
  ingress: () => import('./ingress.ts').then((m) => m.handler),
  'port-forward': () => import('./port-forward.ts').then((m) => m.handler),
};

export async function loadHandler(verb: string): Promise<DirectiveHandler | undefined> {
  const load = DIRECTIVE_HANDLERS[verb];
  return load ? load() : undefined;
}

export type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
