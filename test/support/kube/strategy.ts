// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// How lists merge, field by field: the patchStrategy/patchMergeKey tags of the Kubernetes API types
// (k8s.io/api core/v1 and apps/v1 types.go) for the kinds this server serves, which both strategic
// merge patch and server-side apply (listType=map, listMapKeys) use. And strategic merge patch
// itself (apimachinery pkg/util/strategicpatch, "kubectl patch" docs).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

const POD_SPEC_LISTS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name',
  imagePullSecrets: 'name', hostAliases: 'ip', topologySpreadConstraints: 'topologyKey', resourceClaims: 'name',
};
const CONTAINER_LISTS: Record<string, string> = {
  ports: 'containerPort', env: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath', resizePolicy: 'resourceName',
};
const CONTAINER_FIELDS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

export interface ListStrategy {
  /** The merge key of a list of maps; undefined for atomic lists (replaced whole). */
  mergeKey?: string;
  /** A list of scalars merged as a set (metadata.finalizers). */
  set?: boolean;
}

/** The strategy of the list at `path` (field names from the object root; list elements not counted) in a `kind`. */
export function listStrategy(kind: string, path: string[]): ListStrategy {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  if (path.length === 2 && parent === 'metadata') {
    if (field === 'finalizers') return { set: true };
    if (field === 'ownerReferences') return { mergeKey: 'uid' };
    return {};
  }
  if (field === 'conditions' && path[0] === 'status') return { mergeKey: 'type' };
  if (CONTAINER_FIELDS.has(parent) && CONTAINER_LISTS[field]) return { mergeKey: CONTAINER_LISTS[field] };
  if (kind === 'Service' && path.join('.') === 'spec.ports') return { mergeKey: 'port' };
  if (kind === 'ServiceAccount' && path.length === 1 && (field === 'secrets' || field === 'imagePullSecrets')) return { mergeKey: 'name' };
  if (POD_SPEC_LISTS[field] && isPodSpecPath(kind, path.slice(0, -1))) return { mergeKey: POD_SPEC_LISTS[field] };
  return {};
}

/** Maps whose fields are replaced as a whole unless kept by `$retainKeys` (retainKeys strategy). */
function retainsKeys(kind: string, path: string[]): boolean {
  return (path.join('.') === 'spec.strategy' && kind === 'Deployment') || path[path.length - 2] === 'volumes';
}

function isPodSpecPath(kind: string, path: string[]): boolean {
  const joined = path.join('.');
  if (kind === 'Pod') return joined === 'spec';
  return joined === 'spec.template.spec' || joined === 'spec.jobTemplate.spec.template.spec';
}

const DIRECTIVE = /^\$(patch|retainKeys|setElementOrder\/.+|deleteFromPrimitiveList\/.+)$/;

export function strategicMergePatch(target: unknown, patch: unknown, kind: string): Json {
  if (!isMap(patch)) throw new Error('a strategic merge patch must be a JSON object');
  return mergeMap(isMap(target) ? target : {}, patch, kind, []) ?? {};
}

function mergeMap(original: JsonMap, patch: JsonMap, kind: string, path: string[]): JsonMap | undefined {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  const result: JsonMap = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (DIRECTIVE.test(key)) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const fieldPath = [...path, key];
    const current = result[key];
    if (isMap(value)) {
      const merged = mergeMap(isMap(current) ? current : {}, value, kind, fieldPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(current) ? current : [], value, kind, fieldPath);
    } else {
      result[key] = value;
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    const remove = /^\$deleteFromPrimitiveList\/(.+)$/.exec(key)?.[1];
    if (remove && Array.isArray(result[remove]) && Array.isArray(value)) {
      result[remove] = (result[remove] as Json[]).filter((item) => !value.includes(item));
    }
    const order = /^\$setElementOrder\/(.+)$/.exec(key)?.[1];
    if (order && Array.isArray(result[order]) && Array.isArray(value)) {
      result[order] = reorder(result[order] as Json[], value, listStrategy(kind, [...path, order]).mergeKey);
    }
  }
  if (Array.isArray(patch.$retainKeys) && retainsKeys(kind, path)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}

function withoutDirectives(map: JsonMap): JsonMap {
  return Object.fromEntries(Object.entries(map).filter(([key]) => !DIRECTIVE.test(key)));
}

function mergeList(original: Json[], patch: Json[], kind: string, path: string[]): Json[] {
  const strategy = listStrategy(kind, path);
  if (patch.some((item) => isMap(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isMap(item) && item.$patch === 'replace'));
  }
  if (strategy.set) return [...original, ...patch.filter((item) => !original.includes(item))];
  const mergeKey = strategy.mergeKey;
  if (!mergeKey) return patch.map((item) => (isMap(item) ? withoutDirectives(item) : item));
  const result = [...original];
  for (const item of patch) {
    if (!isMap(item)) continue;
    const index = result.findIndex((existing) => isMap(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = mergeMap(result[index] as JsonMap, item, kind, path) ?? result[index];
    else result.push(withoutDirectives(item));
  }
  return result;
}

/** `$setElementOrder`: the patch's order first; elements only the server had keep their place after. */
function reorder(items: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (item: Json) => (mergeKey && isMap(item) ? item[mergeKey] : item);
  const wanted = order.map(keyOf);
  const ordered = wanted.map((key) => items.find((item) => keyOf(item) === key)).filter((item): item is Json => item !== undefined);
  return [...ordered, ...items.filter((item) => !wanted.includes(keyOf(item)))];
}
