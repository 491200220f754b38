// Chapter front matter: what one chapter says about itself (the chapters it needs, the upstream
// pages it follows, what it intentionally leaves for later chapters). Settings of the whole
// runbook stay in runbook.yaml; a chapter's front matter holds only these keys.
import { parseDocument, isMap, isScalar, isSeq, LineCounter, type Node as YamlNode } from 'yaml';
import type { ChapterMeta, ChapterSource, Position } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { closest } from './annotations.ts';

export const CHAPTER_KEYS = ['needs', 'sources', 'leaves'] as const;
export const SOURCE_KEYS = ['url', 'release', 'note'];

export function emptyChapterMeta(): ChapterMeta {
  return { needs: [], sources: [], leaves: [] };
}

/**
 * Parses a chapter's front matter. `firstLine` is the file line of the YAML's first line, so
 * positions point into the chapter file.
 */
export function parseChapterMeta(yamlText: string, file: string, firstLine: number, settingsFile: string, settingsKeys: readonly string[] = []): ChapterMeta {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  const at = (node: YamlNode | null | undefined): Position => ({ file, line: lineCounter.linePos(node?.range?.[0] ?? 0).line + firstLine - 1 });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new RunbookError(`invalid YAML: ${e.message.split('\n')[0]}`, { file, line: (e.linePos?.[0]?.line ?? 1) + firstLine - 1 }, undefined, 'Fix the YAML syntax (indentation, quotes, colons).');
  }
  const meta = emptyChapterMeta();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return meta;
  if (!isMap(root)) throw new RunbookError('chapter front matter must be a YAML mapping (key: value)', at(root));
  meta.source = at(root);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as YamlNode | null;
    const pos = at(pair.key as YamlNode);
    if (settingsKeys.includes(key)) continue; // a single file's settings, read by settings.ts
    switch (key) {
      case 'needs': {
        const entries = stringEntries(value, pos, 'needs', at);
        meta.needs = entries.map((e) => e.value);
        meta.needsAt = entries.map((e) => e.position); // so graph checks can name the entry's line
        break;
      }
      case 'leaves':
        meta.leaves = stringEntries(value, pos, 'leaves', at).map((e) => {
          const problem = checkLeave(e.value);
          if (problem) throw new RunbookError(`bad leaves entry "${e.value}": ${problem}`, e.position, undefined, LEAVES_FORMAT);
          return e.value;
        });
        break;
      case 'sources':
        meta.sources = parseSources(value, pos, at);
        break;
      default: {
        const near = closest(key, [...CHAPTER_KEYS]);
        throw new RunbookError(
          `unknown key "${key}" in chapter front matter`,
          pos,
          undefined,
          `${near ? `Did you mean "${near}"? ` : ''}A chapter's front matter takes ${CHAPTER_KEYS.join(', ')}; settings of the whole runbook go in ${settingsFile}.`,
        );
      }
    }
  }
  return meta;
}

function stringEntries(node: YamlNode | null, pos: Position, what: string, at: (n: YamlNode) => Position): { value: string; position: Position }[] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (isScalar(node) && typeof node.value === 'string') return [{ value: node.value, position: at(node) }];
  if (!isSeq(node)) throw new RunbookError(`${what} must be a list`, pos, undefined, `Example: ${what}: [01-cluster, 02-install-istio]`);
  return node.items.map((item) => {
    const n = item as YamlNode;
    if (!isScalar(n) || n.value === null || typeof n.value === 'object' || String(n.value).trim() === '') {
      throw new RunbookError(`each entry of ${what} must be a single non-empty value`, at(n));
    }
    return { value: String(n.value), position: at(n) };
  });
}

/** One entry of `leaves:`: an object, or a label on an object, the chapter leaves for later chapters. */
export interface LeftObject {
  /** As kubectl takes it: Kind, singular, plural or short name, optionally with .group. */
  kind: string;
  namespace?: string;
  /** `*` for any name. */
  name: string;
  /** The label the chapter leaves on the object (its key), when the entry is about a label. */
  label?: string;
}

const LEAVES_FORMAT = 'An entry is "KIND NAME" for a cluster-scoped object, "KIND NAMESPACE/NAME" for a namespaced one (NAME or NAMESPACE may be *), or "KIND [NAMESPACE/]NAME label KEY" for a label the chapter leaves on an object; KIND as kubectl takes it (Namespace, VirtualService, virtualservices.networking.istio.io).';
const KIND = /^[A-Za-z][A-Za-z0-9]*(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAMESPACE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?|\*)$/;
const NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*|\*)$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Reads a `leaves:` entry; a string says what is wrong with it. */
export function parseLeftObject(text: string): LeftObject | string {
  const words = text.trim().split(/\s+/);
  if (words.length !== 2 && !(words.length === 4 && words[2] === 'label')) return 'expected KIND [NAMESPACE/]NAME, optionally followed by "label KEY"';
  const [kind, ref, , label] = words;
  if (!KIND.test(kind)) return `"${kind}" is not a kind`;
  const parts = ref.split('/');
  if (parts.length > 2) return `"${ref}" is not NAME or NAMESPACE/NAME`;
  const [namespace, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (namespace !== undefined && !NAMESPACE.test(namespace)) return `"${namespace}" is not a namespace name`;
  if (!NAME.test(name)) return `"${name}" is not an object name`;
  if (label !== undefined && !LABEL_KEY.test(label)) return `"${label}" is not a label key`;
  return { kind, namespace, name, ...(label !== undefined ? { label } : {}) };
}

function checkLeave(text: string): string | undefined {
  const parsed = parseLeftObject(text);
  return typeof parsed === 'string' ? parsed : undefined;
}

function parseSources(node: YamlNode | null, pos: Position, at: (n: YamlNode) => Position): ChapterSource[] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) throw new RunbookError('sources must be a list', pos, undefined, 'Example: sources: [{ url: https://istio.io/…/request-routing/, release: "1.31" }]');
  return node.items.map((item) => {
    const n = item as YamlNode;
    const p = at(n);
    if (isScalar(n) && typeof n.value === 'string') return { url: checkUrl(n.value, p), position: p };
    if (!isMap(n)) throw new RunbookError('a source is a URL or a mapping { url, release, note }', p);
    const source: ChapterSource = { url: '', position: p };
    for (const pair of n.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = pair.value as YamlNode | null;
      const kp = at(pair.key as YamlNode);
      if (!SOURCE_KEYS.includes(key)) throw new RunbookError(`unknown key "${key}" in a source`, kp, undefined, `A source takes ${SOURCE_KEYS.join(', ')}.`);
      if (!isScalar(v) || v.value === null || typeof v.value === 'object') throw new RunbookError(`sources: ${key} must be a single value`, kp);
      if (key === 'url') source.url = checkUrl(String(v.value), kp);
      else if (key === 'release') source.release = String(v.value);
      else source.note = String(v.value);
    }
    if (!source.url) throw new RunbookError('a source needs url:', p);
    return source;
  });
}

function checkUrl(url: string, pos: Position): string {
  if (!/^https?:\/\/\S+$/.test(url)) throw new RunbookError(`source ${url} is not an http(s) URL`, pos);
  return url;
}
