// The Istio configuration kinds (Istio 1.31's CRDs), by the names kubectl accepts for them: kind,
// singular, plural and short name. Plain data, so the reader can check `resources=` without
// loading a Kubernetes client.

export interface IstioKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  short?: string;
}

const kind = (group: string, name: string, plural: string, short?: string): IstioKind => ({
  kind: name, group, version: 'v1', plural, singular: name.toLowerCase(), short,
});

export const ISTIO_KINDS: readonly IstioKind[] = [
  kind('networking.istio.io', 'VirtualService', 'virtualservices', 'vs'),
  kind('networking.istio.io', 'DestinationRule', 'destinationrules', 'dr'),
  kind('networking.istio.io', 'Gateway', 'gateways', 'gw'),
  kind('networking.istio.io', 'ServiceEntry', 'serviceentries', 'se'),
  kind('networking.istio.io', 'Sidecar', 'sidecars'),
  { ...kind('networking.istio.io', 'EnvoyFilter', 'envoyfilters'), version: 'v1alpha3' },
  kind('networking.istio.io', 'WorkloadEntry', 'workloadentries', 'we'),
  kind('security.istio.io', 'PeerAuthentication', 'peerauthentications', 'pa'),
  kind('security.istio.io', 'AuthorizationPolicy', 'authorizationpolicies', 'ap'),
  kind('security.istio.io', 'RequestAuthentication', 'requestauthentications', 'ra'),
  kind('telemetry.istio.io', 'Telemetry', 'telemetries'),
  { ...kind('extensions.istio.io', 'WasmPlugin', 'wasmplugins'), version: 'v1alpha1' },
];

/** The kind a name means, case-insensitively: `VirtualService`, `virtualservice`, `virtualservices`, `vs`. */
export function istioKind(name: string): IstioKind | undefined {
  const n = name.toLowerCase();
  return ISTIO_KINDS.find((k) => k.singular === n || k.plural === n || k.short === n);
}
