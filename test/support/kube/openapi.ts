// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Just enough OpenAPI v3 for kubectl to see that this server validates fields itself: kubectl
// (cli-runtime's QueryParamVerifierV3) reads /openapi/v3, then the document of an object's group
// version, and looks for a PATCH operation carrying the object's x-kubernetes-group-version-kind
// with a `fieldValidation` query parameter; when it finds one it sends ?fieldValidation=Strict
// instead of validating against a full schema. No schemas are served (real servers serve them).

import type { ResourceRegistry, ResourceType } from './resources.ts';

const groupVersionPath = (type: ResourceType) => (type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`);

export function openApiRoot(registry: ResourceRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const type of registry.all()) {
    const path = groupVersionPath(type);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(registry, path)}` };
  }
  return { paths };
}

export function openApiGroupVersion(registry: ResourceRegistry, path: string) {
  const types = registry.all().filter((t) => groupVersionPath(t) === path);
  if (!types.length) return undefined;
  const fieldValidation = { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.', schema: { type: 'string', uniqueItems: true } };
  const paths: Record<string, unknown> = {};
  for (const type of types) {
    const base = `/${path}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.resource}/{name}`;
    const gvk = { group: type.group, kind: type.kind, version: type.version };
    paths[base] = {
      patch: { operationId: `patch${type.kind}`, parameters: [fieldValidation], 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk },
      put: { operationId: `replace${type.kind}`, parameters: [fieldValidation], 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths, components: { schemas: {} } };
}

function hashOf(registry: ResourceRegistry, path: string): string {
  const names = registry.all().filter((t) => groupVersionPath(t) === path).map((t) => t.kind).join(',');
  let hash = 0;
  for (const c of names) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash.toString(16).toUpperCase().padStart(8, '0');
}
