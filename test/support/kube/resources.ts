// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The resources the test server serves, with the names the real API uses for them: a fixed set of
// built-in kinds, plus the kinds of every CustomResourceDefinition created on the server (served
// at each of its versions, stored once, as the real apiextensions-apiserver does). Anything not
// listed answers 404, as a cluster without that API would.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** An object in its JSON wire form, exactly as the API server sends it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A CRD's additionalPrinterColumns entry (what `kubectl get` shows for custom resources). */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface ResourceType {
  /** Plural resource name, the path segment: "pods". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  /** "" for the core group. */
  group: string;
  version: string;
  apiVersion: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Field selector keys the real server accepts for this resource (beyond metadata.name/namespace). */
  fieldLabels: string[];
  subresources: string[];
  /** Where objects live: one store per group and resource, whichever version serves them. */
  storageKey: string;
  /** Set for custom resources: the CRD that defines them, and the columns it declares. */
  crd?: string;
  printerColumns?: PrinterColumn[];
}

type TypeFields = Omit<ResourceType, 'apiVersion' | 'fieldLabels' | 'subresources' | 'storageKey' | 'listKind' | 'categories'> &
  Partial<Pick<ResourceType, 'fieldLabels' | 'subresources' | 'categories' | 'crd' | 'printerColumns'>>;

function resourceType(fields: TypeFields): ResourceType {
  const apiVersion = fields.group ? `${fields.group}/${fields.version}` : fields.version;
  const storageKey = fields.group ? `${fields.resource}.${fields.group}` : fields.resource;
  return { fieldLabels: [], subresources: [], categories: [], ...fields, apiVersion, storageKey, listKind: `${fields.kind}List` };
}

const core = (resource: string, kind: string, namespaced: boolean, extra: Partial<TypeFields> = {}) =>
  resourceType({ resource, singular: kind.toLowerCase(), kind, group: '', version: 'v1', namespaced, shortNames: [], ...extra });

export const BUILT_IN_TYPES: readonly ResourceType[] = [
  core('namespaces', 'Namespace', false, { shortNames: ['ns'], fieldLabels: ['status.phase'] }),
  core('pods', 'Pod', true, {
    shortNames: ['po'], subresources: ['log', 'portforward', 'exec', 'status'], categories: ['all'],
    fieldLabels: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName',
      'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  }),
  core('services', 'Service', true, { shortNames: ['svc'], categories: ['all'], subresources: ['status'] }),
  core('events', 'Event', true, {
    shortNames: ['ev'],
    fieldLabels: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name',
      'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion',
      'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  }),
  core('nodes', 'Node', false, { shortNames: ['no'], fieldLabels: ['spec.unschedulable'] }),
  core('serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  core('configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  core('secrets', 'Secret', true, { fieldLabels: ['type'] }),
  resourceType({ resource: 'deployments', singular: 'deployment', kind: 'Deployment', group: 'apps', version: 'v1', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  resourceType({ resource: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] }),
  resourceType({ resource: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status'] }),
  resourceType({ resource: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'] }),
  resourceType({ resource: 'customresourcedefinitions', singular: 'customresourcedefinition', kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io', version: 'v1', namespaced: false, shortNames: ['crd', 'crds'], subresources: ['status'] }),
  resourceType({ resource: 'mutatingwebhookconfigurations', singular: 'mutatingwebhookconfiguration', kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', namespaced: false, shortNames: [] }),
  resourceType({ resource: 'validatingwebhookconfigurations', singular: 'validatingwebhookconfiguration', kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', namespaced: false, shortNames: [] }),
];

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  versions: Array<{ name: string; served: boolean; storage?: boolean; additionalPrinterColumns?: PrinterColumn[]; subresources?: { status?: object } }>;
}

export class TypeNotServed extends Error {}

/** The resources one server instance serves; CRDs add and remove kinds while it runs. */
export class ResourceRegistry {
  private types: ResourceType[] = [...BUILT_IN_TYPES];

  all(): readonly ResourceType[] {
    return this.types;
  }

  byPath(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  /** By kind, and by apiVersion when given (Gateway is a kind of both Istio and the Gateway API). */
  byKind(kind: string | undefined, apiVersion?: string): ResourceType {
    const found = this.types.find((t) => t.kind === kind && (!apiVersion || t.apiVersion === apiVersion)) ??
      (apiVersion ? undefined : undefined);
    if (!found) {
      throw new TypeNotServed(`kube test server: ${String(kind)}${apiVersion ? ` (${apiVersion})` : ''} is not served (known: ${[...new Set(this.types.map((t) => t.kind))].join(', ')})`);
    }
    return found;
  }

  /** "pods", or a qualified name when the plural is ambiguous: "gateways.gateway.networking.k8s.io". */
  byName(name: string): ResourceType {
    const found = this.types.find((t) => t.storageKey === name) ?? this.types.find((t) => t.resource === name);
    if (!found) throw new TypeNotServed(`kube test server: resource ${name} is not served`);
    return found;
  }

  /** Every version a storage key is served at. */
  versionsOf(storageKey: string): ResourceType[] {
    return this.types.filter((t) => t.storageKey === storageKey);
  }

  /** Serves a CRD's kinds (every served version), replacing what an earlier version of it served. */
  addCrd(crd: KubeObject): ResourceType[] {
    const name = crd.metadata.name ?? '';
    this.removeCrd(name);
    const spec = crd.spec as CrdSpec;
    const added = spec.versions.filter((v) => v.served).map((v) =>
      resourceType({
        resource: spec.names.plural, singular: spec.names.singular ?? spec.names.kind.toLowerCase(), kind: spec.names.kind,
        group: spec.group, version: v.name, namespaced: spec.scope === 'Namespaced', shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [], crd: name, printerColumns: v.additionalPrinterColumns,
        subresources: v.subresources?.status ? ['status'] : [],
      }));
    this.types.push(...added);
    return added;
  }

  removeCrd(name: string): void {
    this.types = this.types.filter((t) => t.crd !== name);
  }
}

/** Reads a dotted field path ("involvedObject.name") from an object, as a field selector does. */
export function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  // The source field of events is a struct; the real server selects on source.component.
  if (path === 'source' && current && typeof current === 'object') {
    return String((current as Record<string, unknown>).component ?? '');
  }
  return current === undefined || current === null ? '' : String(current);
}
