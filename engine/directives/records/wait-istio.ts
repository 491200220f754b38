// `wait istio namespace=NS[,NS…] [resources=KIND/NAME,…] [istio-namespace=istio-system]`: the mesh
// has taken the configuration — the Istio resources named are accepted (istiod has loaded their
// current version and reports no error in their status), and every proxy of the namespaces is in
// sync with istiod, read where `istioctl proxy-status` reads it (engine/kube/istio-sync.ts).
import type { DirectiveDefinition, ValueCheck } from '../definition.ts';
import { bash, shellWord, timeoutFlag } from '../render-helpers.ts';
import { commaItems, dnsLabel, dnsSubdomain, kindReference, listOf, namespaceList } from '../values.ts';
import { ISTIO_KINDS, istioKind } from '../../kube/istio-kinds.ts';
import { targetTitle } from '../../render/target-title.ts';

/** `virtualservice/reviews`, `dr/reviews`, `peerauthentication/foo/default` (kind/[namespace/]name). */
const resourceList: ValueCheck = listOf((item) => {
  const parts = item.split('/');
  if (parts.length < 2 || parts.length > 3) return `"${item}" is not KIND/NAME or KIND/NAMESPACE/NAME`;
  if (!istioKind(parts[0])) return `"${parts[0]}" is not an Istio kind; use one of ${[...new Set(ISTIO_KINDS.map((k) => k.singular))].join(', ')}`;
  return (parts.length === 3 ? dnsLabel(parts[1]) : undefined) ?? dnsSubdomain(parts[parts.length - 1]);
});

/** Where istiod runs when the step does not say (the runner uses it too). */
export const ISTIOD_NAMESPACE = 'istio-system';

export const waitIstio: DirectiveDefinition = {
  verb: 'wait',
  subject: 'istio',
  summary: "the mesh has accepted the configuration: resources loaded by istiod without errors, every proxy of the namespaces in sync",
  attrs: {
    namespace: { required: true, check: namespaceList },
    resources: { check: resourceList },
    'istio-namespace': { check: dnsLabel, defaultValue: ISTIOD_NAMESPACE },
  },
  needsCluster: true,
  namespaces: (step) => [...commaItems(step.attrs.namespace), step.attrs['istio-namespace'] ?? ISTIOD_NAMESPACE],
  render(step, ctx) {
    const namespaces = commaItems(step.attrs.namespace);
    const lines = ['# The mesh has the configuration once every proxy shows SYNCED in every column:'];
    for (const ns of namespaces) lines.push(`istioctl proxy-status --namespace ${shellWord(ns)}`);
    if (step.attrs.resources) {
      lines.push('# and the resources show no error:');
      // Each resource is analysed in its own namespace (KIND/NS/NAME, or the first namespace).
      const own = commaItems(step.attrs.resources).map((item) => kindReference(item, namespaces[0]).namespace);
      for (const ns of new Set(own)) lines.push(`istioctl analyze --namespace ${shellWord(ns)}`);
    }
    lines.push(`# (the run waits for this itself, up to ${timeoutFlag(step, ctx).replace('--timeout=', '')})`);
    return [bash(lines.join('\n'), targetTitle(step))];
  },
  load: () => import('../wait-istio.ts').then((m) => m.handler),
};
