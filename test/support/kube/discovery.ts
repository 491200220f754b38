// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Legacy (unaggregated) discovery documents, which kubectl falls back to when the answer to its
// aggregated-discovery Accept header comes back as plain application/json. They list only the
// resources this server serves, custom resources included once their CRD exists.

import type { ResourceRegistry, ResourceType } from './resources.ts';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resourceEntries(type: ResourceType) {
  const main = {
    name: type.resource, singularName: type.singular, namespaced: type.namespaced, kind: type.kind,
    verbs: VERBS, ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length ? { categories: type.categories } : {}),
  };
  const subresources = type.subresources.map((sub) => ({
    name: `${type.resource}/${sub}`, singularName: '', namespaced: type.namespaced,
    kind: sub === 'portforward' ? 'PodPortForwardOptions' : sub === 'exec' ? 'PodExecOptions' : sub === 'scale' ? 'Scale' : type.kind,
    verbs: sub === 'portforward' || sub === 'exec' ? ['create', 'get'] : sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
  }));
  return [main, ...subresources];
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions', versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(types: readonly ResourceType[], name: string) {
  const versions = [...new Set(types.filter((t) => t.group === name).map((t) => t.apiVersion))]
    .map((gv) => ({ groupVersion: gv, version: gv.split('/')[1] }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  const types = registry.all();
  const groups = [...new Set(types.map((t) => t.group).filter(Boolean))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => apiGroup(types, g)) };
}

export function apiGroupDocument(registry: ResourceRegistry, name: string) {
  if (!registry.all().some((t) => t.group === name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(registry.all(), name) };
}

/** The APIResourceList for "v1" or "apps/v1", or undefined when this server has no such group version. */
export function apiResourceList(registry: ResourceRegistry, requestedGroupVersion: string) {
  const types = registry.all().filter((t) => t.apiVersion === requestedGroupVersion);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: requestedGroupVersion,
    resources: types.flatMap(resourceEntries),
  };
}
