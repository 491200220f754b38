// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// PATCH bodies. JSON merge patch (RFC 7386) is exact; JSON patch (RFC 6902) covers
// add/remove/replace/test/move/copy; strategic merge patch follows "Update API Objects in Place
// Using kubectl patch" and apimachinery's strategicpatch package for the fields of the kinds served
// here (strategy.ts lists their merge keys): lists with a merge key are merged element by element,
// `$patch: replace|delete`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…` and `$retainKeys`
// are honoured. Custom resources have no strategic patch (the real server answers 415).

import { badRequest, unsupportedMediaType } from './status.ts';
import { strategicMergePatch } from './strategy.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isPlainObject(patch)) return structuredClone(patch) as Json;
  const result: Record<string, Json> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(document: Json, pointer: string): { parent: Json; key: string } {
  const segments = pointerSegments(pointer);
  const key = segments.pop();
  if (key === undefined) throw badRequest('JSON patch cannot target the whole document');
  let parent: Json = document;
  for (const segment of segments) {
    const next: Json | undefined = Array.isArray(parent)
      ? parent[Number(segment)]
      : isPlainObject(parent) ? parent[segment] : undefined;
    if (next === undefined) throw badRequest(`doc is missing path: "${pointer}"`);
    parent = next;
  }
  return { parent, key };
}

function readAt(document: Json, pointer: string): Json {
  const { parent, key } = parentOf(document, pointer);
  const value = Array.isArray(parent) ? parent[Number(key)] : isPlainObject(parent) ? parent[key] : undefined;
  if (value === undefined) throw badRequest(`doc is missing path: "${pointer}"`);
  return value;
}

function removeAt(document: Json, pointer: string): void {
  readAt(document, pointer);
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete (parent as Record<string, Json>)[key];
}

function addAt(document: Json, pointer: string, value: Json, replace: boolean): void {
  if (replace) readAt(document, pointer);
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index > parent.length) throw badRequest(`index out of range: ${pointer}`);
    parent.splice(index, replace ? 1 : 0, structuredClone(value));
  } else if (isPlainObject(parent)) {
    parent[key] = structuredClone(value);
  } else {
    throw badRequest(`doc is missing path: "${pointer}"`);
  }
}

export function jsonPatch(target: unknown, operations: unknown): Json {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch must be a list of operations');
  const document = structuredClone(target) as Json;
  for (const operation of operations as JsonPatchOperation[]) {
    const value = operation.value ?? null;
    switch (operation.op) {
      case 'add': addAt(document, operation.path, value, false); break;
      case 'replace': addAt(document, operation.path, value, true); break;
      case 'remove': removeAt(document, operation.path); break;
      case 'test':
        if (JSON.stringify(readAt(document, operation.path)) !== JSON.stringify(value)) {
          throw badRequest(`testing value ${operation.path} failed`);
        }
        break;
      case 'copy':
      case 'move': {
        const moved = readAt(document, operation.from ?? '');
        if (operation.op === 'move') removeAt(document, operation.from ?? '');
        addAt(document, operation.path, moved, false);
        break;
      }
      default: throw badRequest(`unexpected JSON patch operation: ${String(operation.op)}`);
    }
  }
  return document;
}

/** Applies a PATCH body according to its Content-Type, as the API server chooses the patch type. */
export function applyPatch(target: unknown, body: unknown, contentType: string, kind: { kind: string; custom: boolean }): Json {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  switch (mediaType) {
    case 'application/merge-patch+json':
      return mergePatch(target, body);
    case 'application/strategic-merge-patch+json':
      if (kind.custom) throw unsupportedMediaType(mediaType, false);
      return strategicMergePatch(target, body, kind.kind) as Json;
    case 'application/json-patch+json':
      return jsonPatch(target, body);
    default:
      throw unsupportedMediaType(mediaType, !kind.custom);
  }
}
