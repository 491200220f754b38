// Facts about the cluster a run used, for the report and the docs' provenance: the API server's
// version (gitVersion), how many nodes, and the Istio version (the tag of istiod's image in
// istio-system, when Istio is installed). Key names are the ones the renderer reads.
import { abortable, deadline, type KubeClients } from './client.ts';

export interface ClusterFacts {
  kubernetesVersion?: string;
  nodes?: number;
  istioVersion?: string;
}

/** Istio's image tags carry a variant after the version: 1.31.1-distroless, 1.31.1-debug. */
export function istioVersionFromImage(image: string | undefined): string | undefined {
  const tag = image?.match(/:([^:/@]+)(?:@sha256:[0-9a-f]+)?$/)?.[1];
  return tag?.replace(/-(distroless|debug)$/, '');
}

/** Whatever can be learned within the budget; missing facts are left out, nothing throws. */
export async function collectClusterFacts(clients: KubeClients, budgetMs = 3000): Promise<ClusterFacts> {
  const signal = deadline(budgetMs);
  const [version, nodes, istiod] = await Promise.allSettled([
    clients.version.getCode({}, abortable(signal)),
    clients.core.listNode({}, abortable(signal)),
    clients.apps.listNamespacedDeployment({ namespace: 'istio-system', labelSelector: 'app=istiod' }, abortable(signal)),
  ]);
  const facts: ClusterFacts = {};
  if (version.status === 'fulfilled') facts.kubernetesVersion = version.value.gitVersion;
  if (nodes.status === 'fulfilled') facts.nodes = nodes.value.items.length;
  if (istiod.status === 'fulfilled') {
    const containers = istiod.value.items.flatMap((d) => d.spec?.template?.spec?.containers ?? []);
    const discovery = containers.find((c) => c.name === 'discovery') ?? containers[0];
    const istioVersion = istioVersionFromImage(discovery?.image);
    if (istioVersion) facts.istioVersion = istioVersion;
  }
  return facts;
}
