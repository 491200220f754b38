// The settings schema (schemas/settings.schema.json) applied to a parsed settings document: the
// first problem becomes a RunbookError at the line of the key (or list entry) it concerns —
// the same line the reader's own checks name. The reader runs its hand-written checks first,
// so their messages stay; the schema then catches what they do not look at (the screenshot
// section's values, for instance) before anything runs.
import { isMap, isSeq, isScalar, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import type { Position } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { CHAPTER_KEYS } from '../read/chapter-meta.ts';
import validateSettings from './settings-validator.generated.ts';

export const SETTINGS_SCHEMA_FILE = 'schemas/settings.schema.json';
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: { description?: string };
}

export interface SchemaProblem {
  message: string;
  /** JSON pointer of the value, or of the mapping holding a bad key. */
  path: string;
  line: number;
  hint?: string;
}

/**
 * Validates `data` (the document as plain JSON) and places the first problem in the YAML source.
 * `firstLine` is the file line of the YAML's first line (front matter starts on line 2).
 */
export function settingsSchemaProblem(doc: Document, lineCounter: LineCounter, firstLine = 1, options: { skipChapterKeys?: boolean } = {}): SchemaProblem | undefined {
  let data: unknown;
  try {
    data = doc.toJS();
  } catch {
    return undefined; // YAML the parser read but cannot turn into data (alias limits): the reader's own checks decided
  }
  if (options.skipChapterKeys && data && typeof data === 'object' && !Array.isArray(data)) {
    data = Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([k]) => !(CHAPTER_KEYS as readonly string[]).includes(k)));
  }
  if (validateSettings(data)) return undefined;
  return locateSchemaError(doc, lineCounter, firstLine, (validateSettings as unknown as { errors: SchemaError[] }).errors);
}

/** Places the first of a validator's errors (ajv's error objects, with verbose: true) in the YAML source. */
export function locateSchemaError(doc: Document, lineCounter: LineCounter, firstLine: number, errors: SchemaError[]): SchemaProblem {
  const error = pickError(errors);
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = (error.params.additionalProperty ?? error.params.propertyName) as string | undefined;
  const node = key !== undefined ? keyNode(doc.contents as YamlNode, [...segments, key]) : keyNode(doc.contents as YamlNode, segments);
  const offset = node?.range?.[0] ?? 0;
  const line = lineCounter.linePos(offset).line + firstLine - 1;
  const where = segments.length ? segments.join('.') : 'settings';
  const message =
    error.keyword === 'additionalProperties'
      ? `unknown key "${key}"${segments.length ? ` in ${where}` : ' in the settings'}`
      : error.keyword === 'propertyNames'
        ? `bad name "${key}" in ${where}`
        : `${where} ${describe(error)}`;
  return { message, path: error.instancePath, line, hint: hintOf(errors, error) };
}

/** As a RunbookError for the reader, naming the schema so the user can look it up. */
export function settingsSchemaError(problem: SchemaProblem, file: string): RunbookError {
  const position: Position = { file, line: problem.line };
  return new RunbookError(problem.message, position, undefined, `${problem.hint ? `${problem.hint} ` : ''}(schema: ${SETTINGS_SCHEMA_FILE})`);
}

/**
 * The most telling error: an unknown key or name first; else, at the deepest path, a specific
 * one (a format or a pattern that failed) over "must be <type>" (which then lists every type
 * the alternatives of an anyOf allow).
 */
function pickError(errors: SchemaError[]): SchemaError {
  const named = errors.find((e) => e.keyword === 'additionalProperties' || e.keyword === 'propertyNames');
  if (named) return named;
  const depth = (e: SchemaError) => e.instancePath.split('/').length;
  const deepest = Math.max(...errors.map(depth));
  const here = errors.filter((e) => depth(e) === deepest);
  const specific = here.find((e) => e.keyword !== 'type' && e.keyword !== 'anyOf');
  if (specific) return specific;
  const types = [...new Set(here.filter((e) => e.keyword === 'type').flatMap((e) => String(e.params.type).split(',')))];
  const first = here.find((e) => e.keyword === 'type') ?? here[0];
  return types.length ? { ...first, params: { type: types.join(',') } } : first;
}

function describe(error: SchemaError): string {
  if (error.keyword === 'type') return `must be ${String(error.params.type).split(',').join(' or ')}`;
  if (error.keyword === 'format') return `is not a valid ${String(error.params.format).replace(/^runbook-/, '')}`;
  if (error.keyword === 'anyOf') return 'has a value of the wrong kind';
  return error.message ?? 'is not valid';
}

/** The description of the innermost schema (along the error's path) that has one. */
function hintOf(errors: SchemaError[], chosen: SchemaError): string | undefined {
  const same = errors.filter((e) => e.instancePath === chosen.instancePath);
  for (const e of [chosen, ...same]) if (e.parentSchema?.description) return e.parentSchema.description;
  return undefined;
}

/** The node to point at: a mapping entry's key (as the reader does), a list entry itself. */
function keyNode(root: YamlNode | null, segments: string[]): YamlNode | undefined {
  let node: YamlNode | null | undefined = root;
  let pointAt: YamlNode | undefined = root ?? undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return pointAt;
      pointAt = pair.key as YamlNode;
      node = pair.value as YamlNode | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as YamlNode | undefined;
      if (!item) return pointAt;
      pointAt = item;
      node = item;
    } else return pointAt;
  }
  return pointAt;
}
