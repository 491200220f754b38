// The eksctl cluster configuration (eksctl.io/v1alpha5 ClusterConfig), limited to the
// documented fields a tutorial cluster uses (https://eksctl.io/usage/schema/). Anything else is
// reported as unknown by `runbook check`, so extend this when the tutorial needs more.
type Tags = Record<string, string>;
export interface IEksctlAddonPolicies {
  imageBuilder?: boolean;
  autoScaler?: boolean;
  externalDNS?: boolean;
  certManager?: boolean;
  appMesh?: boolean;
  ebs?: boolean;
  efs?: boolean;
  albIngress?: boolean;
  awsLoadBalancerController?: boolean;
  xRay?: boolean;
  cloudWatch?: boolean;
}
export interface IEksctlNodeGroupIAM {
  attachPolicyARNs?: string[];
  instanceProfileARN?: string;
  instanceRoleARN?: string;
  instanceRoleName?: string;
  withAddonPolicies?: IEksctlAddonPolicies;
}
export interface IEksctlManagedNodeGroup {
  name: string;
  instanceType?: string;
  instanceTypes?: string[];
  amiFamily?: string;
  desiredCapacity?: number;
  minSize?: number;
  maxSize?: number;
  volumeSize?: number;
  volumeType?: string;
  volumeEncrypted?: boolean;
  labels?: Record<string, string>;
  tags?: Tags;
  taints?: { key: string; value?: string; effect: string }[];
  privateNetworking?: boolean;
  spot?: boolean;
  availabilityZones?: string[];
  iam?: IEksctlNodeGroupIAM;
  ssh?: { allow?: boolean; publicKeyName?: string; publicKeyPath?: string };
  maxPodsPerNode?: number;
  updateConfig?: { maxUnavailable?: number; maxUnavailablePercentage?: number };
}
export interface IEksctlAddon {
  name: string;
  version?: string;
  serviceAccountRoleARN?: string;
  attachPolicyARNs?: string[];
  resolveConflicts?: 'none' | 'overwrite' | 'preserve';
  configurationValues?: string;
  tags?: Tags;
}
export interface IClusterConfig {
  apiVersion: 'eksctl.io/v1alpha5';
  kind: 'ClusterConfig';
  metadata: { name: string; region: string; version?: string; tags?: Tags; annotations?: Record<string, string> };
  availabilityZones?: string[];
  managedNodeGroups?: IEksctlManagedNodeGroup[];
  addons?: IEksctlAddon[];
  iam?: { withOIDC?: boolean; serviceRoleARN?: string; serviceAccounts?: { metadata: { name: string; namespace?: string }; attachPolicyARNs?: string[]; wellKnownPolicies?: Record<string, boolean>; roleName?: string }[] };
  vpc?: { cidr?: string; nat?: { gateway?: 'Disable' | 'Single' | 'HighlyAvailable' }; clusterEndpoints?: { publicAccess?: boolean; privateAccess?: boolean }; publicAccessCIDRs?: string[] };
  kubernetesNetworkConfig?: { ipFamily?: 'IPv4' | 'IPv6'; serviceIPv4CIDR?: string };
  cloudWatch?: { clusterLogging?: { enableTypes?: string[]; logRetentionInDays?: number } };
  accessConfig?: { authenticationMode?: 'CONFIG_MAP' | 'API' | 'API_AND_CONFIG_MAP'; bootstrapClusterCreatorAdminPermissions?: boolean };
}
