// The kind cluster configuration (kind.x-k8s.io/v1alpha4 Cluster), written from kind's
// documented v1alpha4 API (sigs.k8s.io/kind/pkg/apis/config/v1alpha4), so `runbook check` can
// reject unknown fields in manifests/kind-cluster.yaml the same way it does for Kubernetes objects.
export interface IKindPortMapping {
  containerPort: number;
  hostPort?: number;
  listenAddress?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}
export interface IKindMount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: 'None' | 'HostToContainer' | 'Bidirectional';
}
export interface IKindPatchJSON6902 {
  group: string;
  version: string;
  kind: string;
  patch: string;
}
export interface IKindNode {
  role?: 'control-plane' | 'worker';
  image?: string;
  labels?: Record<string, string>;
  extraMounts?: IKindMount[];
  extraPortMappings?: IKindPortMapping[];
  kubeadmConfigPatches?: string[];
  kubeadmConfigPatchesJSON6902?: IKindPatchJSON6902[];
}
export interface IKindNetworking {
  ipFamily?: 'ipv4' | 'ipv6' | 'dual';
  apiServerAddress?: string;
  apiServerPort?: number;
  podSubnet?: string;
  serviceSubnet?: string;
  disableDefaultCNI?: boolean;
  kubeProxyMode?: 'iptables' | 'ipvs' | 'nftables' | 'none';
  dnsSearch?: string[];
}
export interface ICluster {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name?: string;
  nodes?: IKindNode[];
  networking?: IKindNetworking;
  featureGates?: Record<string, boolean>;
  runtimeConfig?: Record<string, string>;
  kubeadmConfigPatches?: string[];
  kubeadmConfigPatchesJSON6902?: IKindPatchJSON6902[];
  containerdConfigPatches?: string[];
  containerdConfigPatchesJSON6902?: string[];
}
