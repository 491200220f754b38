// `wait rollout namespace=NS [name=DEPLOY]`: Deployments rolled out, judged the way
// `kubectl rollout status` judges them (engine/kube/readiness.ts), by watching the API.
import type { DirectiveDefinition } from '../definition.ts';
import { bash, namespaceFlag, shellWord, timeoutFlag } from '../render-helpers.ts';
import { dnsLabel, dnsSubdomain } from '../values.ts';
import { targetTitle } from '../../render/target-title.ts';

export const waitRollout: DirectiveDefinition = {
  verb: 'wait',
  subject: 'rollout',
  summary: 'all (or one) Deployments of a namespace rolled out, as kubectl rollout status judges it',
  attrs: { namespace: { required: true, check: dnsLabel }, name: { check: dnsSubdomain } },
  needsCluster: true,
  namespaces: (step) => [step.attrs.namespace],
  render(step, ctx) {
    const { name, namespace } = step.attrs;
    const command = name
      ? `kubectl ${namespaceFlag(namespace)}rollout status deployment/${shellWord(name)} ${timeoutFlag(step, ctx)}`
      : `kubectl ${namespaceFlag(namespace)}wait --for=condition=available deployment --all ${timeoutFlag(step, ctx)}`;
    return [bash(command, targetTitle(step))];
  },
  load: () => import('../wait.ts').then((m) => m.rolloutHandler),
};
