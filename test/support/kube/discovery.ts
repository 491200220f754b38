// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Legacy (unaggregated) discovery documents, which kubectl falls back to when the answer to its
// aggregated-discovery Accept header comes back as plain application/json. They list only the
// resources this server serves.

import { RESOURCE_TYPES, type ResourceType } from './resources.ts';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const IN_CATEGORY_ALL = new Set(['pods', 'services', 'deployments']);

function resourceEntries(type: ResourceType) {
  const main = {
    name: type.resource, singularName: type.singular, namespaced: type.namespaced, kind: type.kind,
    verbs: VERBS, ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    ...(IN_CATEGORY_ALL.has(type.resource) ? { categories: ['all'] } : {}),
  };
  const subresources = type.subresources.map((sub) => ({
    name: `${type.resource}/${sub}`, singularName: '', namespaced: type.namespaced,
    kind: sub === 'portforward' ? 'PodPortForwardOptions' : type.kind,
    verbs: sub === 'portforward' ? ['create', 'get'] : ['get'],
  }));
  return [main, ...subresources];
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions', versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string) {
  const versions = [...new Set(RESOURCE_TYPES.filter((t) => t.group === name).map((t) => t.apiVersion))]
    .map((gv) => ({ groupVersion: gv, version: gv.split('/')[1] }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList() {
  const groups = [...new Set(RESOURCE_TYPES.map((t) => t.group).filter(Boolean))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) };
}

export function apiGroupDocument(name: string) {
  if (!RESOURCE_TYPES.some((t) => t.group === name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name) };
}

/** The APIResourceList for "v1" or "apps/v1", or undefined when this server has no such group version. */
export function apiResourceList(requestedGroupVersion: string) {
  const types = RESOURCE_TYPES.filter((t) => t.apiVersion === requestedGroupVersion);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: requestedGroupVersion,
    resources: types.flatMap(resourceEntries),
  };
}
