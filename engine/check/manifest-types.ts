// Where the schema of a manifest lives, by apiVersion and kind: kubernetes-models for the
// Kubernetes API, @kubernetes-models/istio for Istio's APIs, and the project's own interfaces for
// the kind and eksctl cluster configs (which are not Kubernetes API objects).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALL_ROOT } from '../install-root.ts';

// The schemas are TypeScript sources read by the compiler at check time, so they stay .ts files.
const here = join(INSTALL_ROOT, 'engine', 'check');

export interface ManifestType {
  /** Module specifier of the TypeScript declaration (`import type { I<Kind> } from …`). */
  typeModule: string;
  typeName: string;
  /** Runtime model class (kubernetes-models) with validate(), when there is one. */
  runtimeModule?: string;
}

const OWN_SCHEMAS: Record<string, string> = {
  'kind.x-k8s.io/v1alpha4/Cluster': join(here, 'schemas', 'kind-cluster.ts'),
  'eksctl.io/v1alpha5/ClusterConfig': join(here, 'schemas', 'eksctl-cluster-config.ts'),
};

/** The project's own schema sources, for cache keys: a changed schema must be checked again. */
export function ownSchemasText(): string {
  return Object.values(OWN_SCHEMAS)
    .map((p) => (existsSync(p) ? readFileSync(p, 'utf8') : ''))
    .join('\0');
}

function resolvable(spec: string): boolean {
  try {
    import.meta.resolve(spec); // ESM-only packages: their exports map has no `require` condition
    return true;
  } catch {
    return false;
  }
}

/**
 * Istio's models are an optional dependency: @kubernetes-models/istio 3.x (the first with the v1
 * APIs) declares Node >= 22, so npm leaves it out on Node 20. Then Istio kinds cannot be checked.
 */
export const ISTIO_MODELS = '@kubernetes-models/istio';
export function istioModelsInstalled(): boolean {
  return resolvable(`${ISTIO_MODELS}/networking.istio.io/v1/VirtualService`);
}
export function isIstioKind(apiVersion: string): boolean {
  return apiVersion.split('/')[0].endsWith('istio.io');
}

export function manifestType(apiVersion: string, kind: string): ManifestType | undefined {
  const own = OWN_SCHEMAS[`${apiVersion}/${kind}`];
  if (own) return existsSync(own) ? { typeModule: own, typeName: `I${kind}` } : undefined;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const candidates = group.endsWith('istio.io')
    ? [`${ISTIO_MODELS}/${group}/${version}/${kind}`]
    : group === ''
      ? [`kubernetes-models/${version}/${kind}`]
      : [`kubernetes-models/${group}/${version}/${kind}`];
  for (const spec of candidates) {
    if (resolvable(spec)) return { typeModule: spec, typeName: `I${kind}`, runtimeModule: spec };
  }
  return undefined;
}
