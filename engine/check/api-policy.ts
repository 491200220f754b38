// API versions and fields the schemas still accept but a current tutorial must not use:
// APIs removed from Kubernetes, Istio APIs superseded by v1, and deprecated fields that the
// CRD schemas keep only for old configs.

/** apiVersions Kubernetes no longer serves (removed in 1.16–1.25). */
const REMOVED_APIS = new Set([
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
  'networking.k8s.io/v1beta1',
  'policy/v1beta1',
  'batch/v1beta1',
  'rbac.authorization.k8s.io/v1beta1',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'apiextensions.k8s.io/v1beta1',
  'admissionregistration.k8s.io/v1beta1',
  'storage.k8s.io/v1beta1',
]);

/** Istio kinds with a v1 API: older versions are accepted by Istio but not by this tutorial. */
const ISTIO_V1: Record<string, string[]> = {
  'networking.istio.io': ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup'],
  'security.istio.io': ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'],
  'telemetry.istio.io': ['Telemetry'],
};

/** Deprecated fields, by kind, and what replaces them. */
const DEPRECATED_FIELDS: Record<string, Record<string, string>> = {
  DestinationRule: { consecutiveErrors: 'consecutive5xxErrors (or consecutiveGatewayErrors)' },
  VirtualService: { mirrorPercent: 'mirrorPercentage: { value: N }' },
};

export function apiVersionProblem(apiVersion: string, kind: string): string | undefined {
  if (REMOVED_APIS.has(apiVersion)) return `${apiVersion} is no longer served by Kubernetes; use the current API (e.g. apps/v1, networking.k8s.io/v1)`;
  const [group, version] = apiVersion.split('/');
  if (ISTIO_V1[group]?.includes(kind) && version !== 'v1') return `${kind} has a stable API: use ${group}/v1 instead of ${apiVersion}`;
  return undefined;
}

/** Paths (YAML key paths) of deprecated fields in a document, with the replacement. */
export function deprecatedFields(kind: string, value: unknown): { path: (string | number)[]; field: string; use: string }[] {
  const table = DEPRECATED_FIELDS[kind];
  if (!table) return [];
  const found: { path: (string | number)[]; field: string; use: string }[] = [];
  const visit = (v: unknown, path: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...path, i]));
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k in table) found.push({ path: [...path, k], field: k, use: table[k] });
        visit(child, [...path, k]);
      }
    }
  };
  visit(value, []);
  return found;
}
