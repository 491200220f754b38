// `port-forward service=NAME namespace=NS port=LOCAL[:REMOTE]` (or pod=NAME): a managed
// port-forward on 127.0.0.1:LOCAL for the rest of the run, that moves to another serving pod
// when the one in use goes away (engine/kube/forwarder.ts).
import type { DirectiveDefinition } from '../definition.ts';
import { bash, namespaceFlag, shellWord } from '../render-helpers.ts';
import { dnsLabel, dnsSubdomain, portPair } from '../values.ts';
import { targetTitle } from '../../render/target-title.ts';

export const portForward: DirectiveDefinition = {
  verb: 'port-forward',
  summary: 'a managed port-forward to a Service (or pod) on 127.0.0.1 for the rest of the run',
  attrs: {
    service: { check: dnsLabel },
    pod: { check: dnsSubdomain },
    namespace: { check: dnsLabel, defaultValue: "the context's, else `default`" },
    port: { required: true, check: portPair },
  },
  check: (attrs) => (!attrs.service && !attrs.pod ? 'port-forward needs service= (or pod=)' : attrs.service && attrs.pod ? 'port-forward takes service= or pod=, not both' : undefined),
  needsCluster: true,
  namespaces: (step) => [step.attrs.namespace ?? 'default'],
  render(step) {
    const a = step.attrs;
    const resource = a.service ? `service/${shellWord(a.service)}` : `pod/${shellWord(a.pod)}`;
    return [bash(`kubectl ${namespaceFlag(a.namespace)}port-forward ${resource} ${a.port} &`, targetTitle(step))];
  },
  load: () => import('../port-forward.ts').then((m) => m.handler),
};
