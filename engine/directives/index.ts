// Every directive, one record each (records/*.ts, see definition.ts): the reader validates against these, the
// executor runs them, the renderer shows them, the Kubernetes hooks ask which need a cluster.
import type { DirectiveDefinition } from './definition.ts';
import { ingress } from './records/ingress.ts';
import { portForward } from './records/port-forward.ts';
import { screenshot } from './records/screenshot.ts';
import { waitGateway } from './records/wait-gateway.ts';
import { waitIstio } from './records/wait-istio.ts';
import { waitPods } from './records/wait-pods.ts';
import { waitRollout } from './records/wait-rollout.ts';

export const DIRECTIVES: readonly DirectiveDefinition[] = [
  waitRollout,
  waitPods,
  waitIstio,
  waitGateway,
  ingress,
  portForward,
  screenshot,
];

/** The record of a step's directive (verb, and subject when the verb has several). */
export function definitionOf(step: { verb: string; args?: readonly string[] }): DirectiveDefinition | undefined {
  const subject = step.args?.[0];
  return DIRECTIVES.find((d) => d.verb === step.verb && (d.subject === undefined || subject === undefined || d.subject === subject));
}

export type { DirectiveDefinition } from './definition.ts';
export type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
