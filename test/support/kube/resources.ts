// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The fixed set of resources the test server knows, with the names the real API uses for them.
// Anything not listed here answers 404, as a cluster without that API would.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** An object in its JSON wire form, exactly as the API server sends it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ResourceType {
  /** Plural resource name, the path segment: "pods". */
  resource: string;
  singular: string;
  kind: string;
  /** "" for the core group. */
  group: string;
  version: string;
  apiVersion: string;
  namespaced: boolean;
  shortNames: string[];
  /** Field selector keys the real server accepts for this resource (beyond metadata.name/namespace). */
  fieldLabels: string[];
  subresources: string[];
}

function resourceType(
  fields: Omit<ResourceType, 'apiVersion' | 'fieldLabels' | 'subresources'> &
    Partial<Pick<ResourceType, 'fieldLabels' | 'subresources'>>,
): ResourceType {
  const apiVersion = fields.group ? `${fields.group}/${fields.version}` : fields.version;
  return { fieldLabels: [], subresources: [], ...fields, apiVersion };
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  resourceType({
    resource: 'namespaces', singular: 'namespace', kind: 'Namespace', group: '', version: 'v1',
    namespaced: false, shortNames: ['ns'], fieldLabels: ['status.phase'],
  }),
  resourceType({
    resource: 'pods', singular: 'pod', kind: 'Pod', group: '', version: 'v1', namespaced: true,
    shortNames: ['po'], subresources: ['log', 'portforward'],
    fieldLabels: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName',
      'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  }),
  resourceType({
    resource: 'services', singular: 'service', kind: 'Service', group: '', version: 'v1',
    namespaced: true, shortNames: ['svc'],
  }),
  resourceType({
    resource: 'events', singular: 'event', kind: 'Event', group: '', version: 'v1', namespaced: true,
    shortNames: ['ev'],
    fieldLabels: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name',
      'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion',
      'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  }),
  resourceType({
    resource: 'nodes', singular: 'node', kind: 'Node', group: '', version: 'v1', namespaced: false,
    shortNames: ['no'], fieldLabels: ['spec.unschedulable'],
  }),
  resourceType({
    resource: 'deployments', singular: 'deployment', kind: 'Deployment', group: 'apps', version: 'v1',
    namespaced: true, shortNames: ['deploy'],
  }),
];

export function resourceByPath(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.resource === resource);
}

export function resourceByKind(kind: string | undefined): ResourceType {
  const type = RESOURCE_TYPES.find((t) => t.kind === kind);
  if (!type) {
    const known = RESOURCE_TYPES.map((t) => t.kind).join(', ');
    throw new Error(`kube test server: kind ${String(kind)} is not served (known: ${known})`);
  }
  return type;
}

export function resourceByName(resource: string): ResourceType {
  const type = RESOURCE_TYPES.find((t) => t.resource === resource);
  if (!type) throw new Error(`kube test server: resource ${resource} is not served`);
  return type;
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
