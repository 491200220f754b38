// `ingress [namespace=istio-system] [service=istio-ingressgateway]`: exports INGRESS_HOST,
// INGRESS_PORT, SECURE_INGRESS_PORT and GATEWAY_URL for the gateway's address (a LoadBalancer's IP
// or hostname, else a managed port-forward; engine/kube/ingress-address.ts has the rules).
import type { DirectiveDefinition } from '../definition.ts';
import { bash, shellWord } from '../render-helpers.ts';
import { dnsLabel } from '../values.ts';
import { targetTitle } from '../../render/target-title.ts';

/** Where the gateway is when the step does not say: Istio's default installation (the runner uses these too). */
export const INGRESS_DEFAULTS = { namespace: 'istio-system', service: 'istio-ingressgateway' };

export const ingress: DirectiveDefinition = {
  verb: 'ingress',
  summary: "exports the ingress gateway's address as INGRESS_HOST, INGRESS_PORT, SECURE_INGRESS_PORT and GATEWAY_URL",
  attrs: { namespace: { check: dnsLabel, defaultValue: INGRESS_DEFAULTS.namespace }, service: { check: dnsLabel, defaultValue: INGRESS_DEFAULTS.service } },
  needsCluster: true,
  namespaces: (step) => [step.attrs.namespace ?? INGRESS_DEFAULTS.namespace],
  render(step) {
    const ns = shellWord(step.attrs.namespace ?? INGRESS_DEFAULTS.namespace);
    const service = shellWord(step.attrs.service ?? INGRESS_DEFAULTS.service);
    const get = (path: string) => `$(kubectl -n ${ns} get service ${service} -o jsonpath='${path}')`;
    const only = targetTitle(step);
    const title = (text: string) => (only ? `${text} (${only.toLowerCase()})` : text);
    const loadBalancer = [
      `export INGRESS_HOST=${get('{.status.loadBalancer.ingress[0].ip}')}`,
      '# AWS load balancers have a host name instead of an IP address:',
      `export INGRESS_HOST=\${INGRESS_HOST:-${get('{.status.loadBalancer.ingress[0].hostname}')}}`,
      `export INGRESS_PORT=${get('{.spec.ports[?(@.name=="http2")].port}')}`,
      `export SECURE_INGRESS_PORT=${get('{.spec.ports[?(@.name=="https")].port}')}`,
      'export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT',
    ];
    const portForward = [
      `kubectl -n ${ns} port-forward service/${service} 8080:http2 8443:https >/dev/null &`,
      'export INGRESS_HOST=127.0.0.1 INGRESS_PORT=8080 SECURE_INGRESS_PORT=8443',
      'export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT',
    ];
    return [
      bash(loadBalancer.join('\n'), title("The ingress gateway's address, from its load balancer")),
      bash(portForward.join('\n'), title('Without a load balancer (as on kind), forward local ports to the gateway instead')),
    ];
  },
  load: () => import('../ingress.ts').then((m) => m.handler),
};
