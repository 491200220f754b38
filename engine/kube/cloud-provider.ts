// Will a LoadBalancer Service ever get an address on this cluster? Read from the nodes: cloud
// providers stamp each node with a providerID (aws:///us-west-2a/i-…, gce://…, azure://…) and run
// the controller that provisions load balancers. kind nodes carry kind://docker/… and plain
// clusters (kubeadm, minikube) none at all: there, only an add-on such as cloud-provider-kind or
// MetalLB assigns addresses, and if it does, it does so within seconds.
import type { V1Node } from '@kubernetes/client-node';

export interface ProviderVerdict {
  /** False when nothing on this cluster provisions load balancers by itself. */
  loadBalancerExpected: boolean;
  why: string;
}

export function judgeNodes(nodes: V1Node[]): ProviderVerdict {
  if (!nodes.length) return { loadBalancerExpected: true, why: 'the cluster reports no nodes, so the provider is unknown' };
  const ids = nodes.map((n) => n.spec?.providerID ?? '');
  const schemes = [...new Set(ids.map((id) => (id ? id.slice(0, Math.max(0, id.indexOf('://'))) || id : '')))];
  if (schemes.every((s) => s === 'kind')) {
    return { loadBalancerExpected: false, why: `the nodes are kind nodes (providerID ${ids[0]}), and kind has no load balancer unless cloud-provider-kind runs` };
  }
  if (schemes.every((s) => s === '')) {
    return { loadBalancerExpected: false, why: 'the nodes have no providerID: the cluster runs without a cloud provider' };
  }
  const cloud = schemes.filter(Boolean).join(', ');
  return { loadBalancerExpected: true, why: `the nodes run on ${cloud}, whose controller provisions load balancers (this can take minutes)` };
}
