// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Field management, as "Server-Side Apply" in the Kubernetes docs describes it: every write records
// which manager set which fields (metadata.managedFields, FieldsV1), and `PATCH` with
// `application/apply-patch+yaml` applies a manager's whole intent: it creates the object when it
// is missing, removes fields the manager applied before and no longer applies (unless another
// manager owns them too), merges lists by their keys (strategy.ts), and refuses to change a field
// another manager set to a different value (409, "Apply failed with N conflict(s)") unless force=true.

import { listStrategy } from './strategy.ts';
import type { KubeObject } from './resources.ts';
import { StatusError } from './status.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };
type Segment = { field: string } | { key: string; value: Json };
type Leaf = Segment[];

const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);
const id = (leaf: Leaf) => JSON.stringify(leaf);
const IGNORED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonMap;
  subresource?: string;
}

/** The leaf fields an object (or an applied configuration) sets. */
function leaves(object: Json, kind: string, path: string[] = [], prefix: Leaf = []): Leaf[] {
  if (!isMap(object)) return [prefix];
  const out: Leaf[] = [];
  for (const [field, value] of Object.entries(object)) {
    if (prefix.length === 0 && (field === 'apiVersion' || field === 'kind' || field === 'status')) continue;
    if (prefix.length === 1 && path[0] === 'metadata' && IGNORED_META.has(field)) continue;
    const fieldPath = [...path, field];
    const at: Leaf = [...prefix, { field }];
    const mergeKey = Array.isArray(value) ? listStrategy(kind, fieldPath).mergeKey : undefined;
    if (Array.isArray(value) && mergeKey) {
      for (const item of value) {
        if (!isMap(item)) continue;
        // An element is named by its key (FieldsV1 `k:{…}`); its key field is not a field of its own.
        const element: Leaf = [...at, { key: mergeKey, value: item[mergeKey] }];
        const { [mergeKey]: _, ...rest } = item;
        const inner = Object.keys(rest).length ? leaves(rest, kind, fieldPath, element) : [];
        out.push(...(inner.length ? inner : [element]));
      }
    } else if (isMap(value) && Object.keys(value).length) {
      out.push(...leaves(value, kind, fieldPath, at));
    } else {
      out.push(at);
    }
  }
  return out;
}

function step(node: Json | undefined, segment: Segment): Json | undefined {
  if ('field' in segment) return isMap(node) ? node[segment.field] : undefined;
  return Array.isArray(node) ? node.find((item) => isMap(item) && item[segment.key] === segment.value) : undefined;
}

function valueAt(object: Json, leaf: Leaf): Json | undefined {
  return leaf.reduce<Json | undefined>((node, segment) => step(node, segment), object);
}

function removeAt(object: Json, leaf: Leaf): void {
  const parents: Json[] = [object];
  for (const segment of leaf.slice(0, -1)) {
    const next = step(parents[parents.length - 1], segment);
    if (next === undefined) return;
    parents.push(next);
  }
  const last = leaf[leaf.length - 1];
  const parent = parents[parents.length - 1];
  if ('field' in last && isMap(parent)) delete parent[last.field];
  if ('key' in last && Array.isArray(parent)) parent.splice(parent.findIndex((item) => isMap(item) && item[last.key] === last.value), 1);
  // Drop what became empty: maps without fields, list elements holding only their key.
  for (let depth = parents.length - 1; depth > 0; depth--) {
    const node = parents[depth];
    const segment = leaf[depth - 1];
    const empty = isMap(node) && Object.keys(node).filter((k) => !('key' in segment) || k !== segment.key).length === 0;
    if (!empty) break;
    const holder = parents[depth - 1];
    if ('field' in segment && isMap(holder)) delete holder[segment.field];
    if ('key' in segment && Array.isArray(holder)) {
      holder.splice(holder.indexOf(node), 1);
      // A keyed list left empty goes too: nothing in it is anybody's.
      const listSegment = leaf[depth - 2];
      const owner = parents[depth - 2];
      if (holder.length === 0 && listSegment && 'field' in listSegment && isMap(owner)) delete owner[listSegment.field];
    }
  }
}

/** Merges an applied configuration into the live object: maps by field, keyed lists by key, the rest replaced. */
function merge(live: Json, config: Json, kind: string, path: string[] = []): Json {
  if (!isMap(config) || !isMap(live)) return structuredClone(config);
  const out: JsonMap = { ...live };
  for (const [field, value] of Object.entries(config)) {
    const fieldPath = [...path, field];
    const mergeKey = Array.isArray(value) ? listStrategy(kind, fieldPath).mergeKey : undefined;
    if (mergeKey && Array.isArray(value) && Array.isArray(out[field])) {
      const list = [...(out[field] as Json[])];
      for (const item of value) {
        const index = list.findIndex((existing) => isMap(existing) && isMap(item) && existing[mergeKey] === item[mergeKey]);
        if (index >= 0) list[index] = merge(list[index], item, kind, fieldPath);
        else list.push(structuredClone(item));
      }
      out[field] = list;
    } else {
      out[field] = merge(out[field] ?? null, value, kind, fieldPath);
    }
  }
  return out;
}

// ---- FieldsV1, the wire form of a set of fields ---------------------------------------------

function toFieldsV1(set: Leaf[]): JsonMap {
  const root: JsonMap = {};
  for (const leaf of set) {
    let node = root;
    for (const segment of leaf) {
      const name = 'field' in segment ? `f:${segment.field}` : `k:${JSON.stringify({ [segment.key]: segment.value })}`;
      node[name] ??= {};
      node = node[name] as JsonMap;
      if ('key' in segment) node['.'] = {};
    }
  }
  return root;
}

function fromFieldsV1(fields: JsonMap, prefix: Leaf = []): Leaf[] {
  const out: Leaf[] = [];
  for (const [name, child] of Object.entries(fields)) {
    if (name === '.') continue;
    const segment: Segment = name.startsWith('f:') ? { field: name.slice(2) } : (() => {
      const [key, value] = Object.entries(JSON.parse(name.slice(2)) as JsonMap)[0];
      return { key, value };
    })();
    const nested = isMap(child) ? Object.keys(child).filter((k) => k !== '.') : [];
    if (nested.length) out.push(...fromFieldsV1(child as JsonMap, [...prefix, segment]));
    else out.push([...prefix, segment]);
  }
  return out;
}

function entries(object: KubeObject): ManagedFieldsEntry[] {
  return (object.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function withEntry(list: ManagedFieldsEntry[], entry: Omit<ManagedFieldsEntry, 'fieldsV1' | 'fieldsType' | 'time'>, set: Leaf[]): ManagedFieldsEntry[] {
  const rest = list.filter((e) => !(e.manager === entry.manager && e.operation === entry.operation));
  return set.length ? [...rest, { ...entry, time: now(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(set) }] : rest;
}

/** Records an Update by `manager`: it now owns every field this write set or changed; fields that went are nobody's. */
export function recordUpdate(previous: KubeObject | undefined, next: KubeObject, kind: string, manager: string | undefined): KubeObject {
  if (!manager) return next;
  const before = previous ? new Map(leaves(previous as unknown as Json, kind).map((l) => [id(l), l])) : new Map<string, Leaf>();
  const after = leaves(next as unknown as Json, kind);
  const afterIds = new Set(after.map(id));
  const changed = after.filter((l) => !before.has(id(l)) || JSON.stringify(valueAt(previous as unknown as Json, l)) !== JSON.stringify(valueAt(next as unknown as Json, l)));
  let managed = entries(previous ?? next).map((e) => ({ ...e, set: fromFieldsV1(e.fieldsV1).filter((l) => afterIds.has(id(l)) && !changed.some((c) => id(c) === id(l))) }));
  const mine = managed.find((e) => e.manager === manager && e.operation === 'Update');
  const owned = [...(mine?.set ?? []), ...changed];
  managed = managed.filter((e) => e !== mine);
  let result: ManagedFieldsEntry[] = managed.filter((e) => e.set.length).map(({ set, ...e }) => ({ ...e, fieldsV1: toFieldsV1(set) }));
  result = withEntry(result, { manager, operation: 'Update', apiVersion: next.apiVersion ?? '' }, owned);
  return { ...next, metadata: { ...next.metadata, managedFields: result } };
}

export interface ApplyRequest {
  live: KubeObject | undefined;
  config: KubeObject;
  kind: string;
  apiVersion: string;
  manager: string;
  force: boolean;
}

/** The object after `manager` applies `config` (server-side apply). */
export function serverSideApply({ live, config, kind, apiVersion, manager, force }: ApplyRequest): KubeObject {
  const configJson = config as unknown as Json;
  const applied = leaves(configJson, kind);
  const appliedIds = new Set(applied.map(id));
  if (!live) {
    const created = structuredClone(config);
    return { ...created, metadata: { ...created.metadata, managedFields: withEntry([], { manager, operation: 'Apply', apiVersion }, applied) } };
  }
  const liveJson = live as unknown as Json;
  const managed = entries(live).map((e) => ({ entry: e, set: fromFieldsV1(e.fieldsV1) }));
  const others = managed.filter((m) => !(m.entry.manager === manager && m.entry.operation === 'Apply'));
  const conflicts: { field: string; manager: string }[] = [];
  for (const leaf of applied) {
    const value = JSON.stringify(valueAt(configJson, leaf));
    for (const other of others) {
      if (other.set.some((l) => id(l) === id(leaf)) && JSON.stringify(valueAt(liveJson, leaf)) !== value) {
        conflicts.push({ field: describe(leaf), manager: other.entry.manager });
      }
    }
  }
  if (conflicts.length && !force) throw applyConflict(conflicts, apiVersion);
  const previous = managed.find((m) => m.entry.manager === manager && m.entry.operation === 'Apply')?.set ?? [];
  const ownedByOthers = new Set(others.flatMap((o) => o.set.map(id)));
  let object = structuredClone(liveJson) as Json;
  for (const leaf of previous) if (!appliedIds.has(id(leaf)) && !ownedByOthers.has(id(leaf))) removeAt(object, leaf);
  object = merge(object, { ...(configJson as JsonMap), metadata: { ...((configJson as JsonMap).metadata as JsonMap) } }, kind);
  const forced = new Set(conflicts.map((c) => c.field));
  let list: ManagedFieldsEntry[] = others
    .map((o) => ({ ...o.entry, set: o.set.filter((l) => !forced.has(describe(l))) }))
    .filter((o) => o.set.length)
    .map(({ set, ...e }) => ({ ...e, fieldsV1: toFieldsV1(set) }));
  list = withEntry(list, { manager, operation: 'Apply', apiVersion }, applied);
  const result = object as unknown as KubeObject;
  return { ...result, metadata: { ...result.metadata, managedFields: list } }; // identity fields are the store's to keep
}

function describe(leaf: Leaf): string {
  return leaf.map((s) => ('field' in s ? `.${s.field}` : `[${s.key}=${JSON.stringify(s.value)}]`)).join('');
}

function applyConflict(conflicts: { field: string; manager: string }[], apiVersion: string): StatusError {
  const causes = conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersion}`, field: c.field }));
  const lines = conflicts.map((c) => `- conflict with "${c.manager}" using ${apiVersion}: ${c.field}`).join('\n');
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409,
    message: `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.length === 1 ? `conflict with "${conflicts[0].manager}" using ${apiVersion}: ${conflicts[0].field}` : `\n${lines}`}`,
    details: { causes } as never,
  });
}
