// `wait pods namespace=NS [selector=LABELS]`: matching pods Ready, by watching the API.
import type { DirectiveDefinition } from '../definition.ts';
import { bash, namespaceFlag, shellWord, timeoutFlag } from '../render-helpers.ts';
import { dnsLabel, labelSelector } from '../values.ts';
import { targetTitle } from '../../render/target-title.ts';

export const waitPods: DirectiveDefinition = {
  verb: 'wait',
  subject: 'pods',
  summary: 'the pods of a namespace (or those matching a selector) Ready',
  attrs: { namespace: { required: true, check: dnsLabel }, selector: { check: labelSelector } },
  needsCluster: true,
  namespaces: (step) => [step.attrs.namespace],
  render(step, ctx) {
    const { selector, namespace } = step.attrs;
    const which = selector ? `-l ${shellWord(selector)}` : '--all';
    return [bash(`kubectl ${namespaceFlag(namespace)}wait --for=condition=ready pod ${which} ${timeoutFlag(step, ctx)}`, targetTitle(step))];
  },
  load: () => import('../wait.ts').then((m) => m.podsHandler),
};
