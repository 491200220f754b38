// `wait gateway namespace=NS name=GATEWAY [routes=httproute/NAME,…]`: a Gateway API Gateway is
// Accepted and Programmed, and its routes (those named, else every route attached to it) are
// Accepted with their references resolved — conditions for the Gateway's current generation.
import type { DirectiveDefinition, ValueCheck } from '../definition.ts';
import { bash, namespaceFlag, shellWord, timeoutFlag } from '../render-helpers.ts';
import { commaItems, dnsLabel, dnsSubdomain, kindReference, listOf } from '../values.ts';
import { targetTitle } from '../../render/target-title.ts';

export const ROUTE_KINDS = ['httproute', 'grpcroute', 'tcproute', 'tlsroute'];

const routeList: ValueCheck = listOf((item) => {
  const [kind, name, ...rest] = item.split('/');
  if (!name || rest.length) return `"${item}" is not KIND/NAME (such as httproute/httpbin)`;
  if (!ROUTE_KINDS.includes(kind.toLowerCase())) return `"${kind}" is not a Gateway API route kind; use ${ROUTE_KINDS.join(', ')}`;
  return dnsSubdomain(name);
});

export const waitGateway: DirectiveDefinition = {
  verb: 'wait',
  subject: 'gateway',
  summary: 'a Gateway API Gateway Programmed and its routes Accepted',
  attrs: { namespace: { required: true, check: dnsLabel }, name: { required: true, check: dnsSubdomain }, routes: { check: routeList } },
  needsCluster: true,
  namespaces: (step) => [step.attrs.namespace],
  render(step, ctx) {
    const ns = namespaceFlag(step.attrs.namespace);
    const timeout = timeoutFlag(step, ctx);
    const lines = [`kubectl ${ns}wait --for=condition=programmed gateways.gateway.networking.k8s.io/${shellWord(step.attrs.name)} ${timeout}`];
    for (const route of commaItems(step.attrs.routes)) {
      const { kind, name } = kindReference(route, step.attrs.namespace);
      lines.push(`kubectl ${ns}wait --for=jsonpath='{.status.parents[0].conditions[?(@.type=="Accepted")].status}'=True ${kind.toLowerCase()}s.gateway.networking.k8s.io/${shellWord(name)} ${timeout}`);
    }
    return [bash(lines.join('\n'), targetTitle(step))];
  },
  load: () => import('../wait-gateway.ts').then((m) => m.handler),
};
