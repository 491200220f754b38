// Settings of a runbook (contract §1): from the front matter of a single file or from
// runbook.yaml beside the chapters. Every problem names file:line.
import { parseDocument, isMap, isScalar, isSeq, LineCounter, type Node as YamlNode } from 'yaml';
import type { Position, Settings, TargetSettings } from '../model.ts';
import { DEFAULT_TIMEOUT_MS } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { parseDuration } from './duration.ts';
import { closest } from './annotations.ts';
import { CHAPTER_KEYS } from './chapter-meta.ts';
import { settingsSchemaError, settingsSchemaProblem } from '../schema/settings-schema.ts';

const KNOWN_KEYS = ['title', 'vars', 'targets', 'timeout', 'redact', 'leftovers'];
const LEFTOVERS_MODES = ['fail', 'warn', 'off'] as const;
/** Sections owned by individual features (screenshots, rendering, …), kept in `extra`. */
export const FEATURE_KEYS = ['screenshot', 'render', 'readme', 'report', 'kube', 'doctor'];
/** Every key the settings take (a single file's front matter may also hold chapter keys). */
export const SETTINGS_KEYS: readonly string[] = [...KNOWN_KEYS, ...FEATURE_KEYS];
export const TARGET_KEYS = ['context', 'requires', 'description'];

export function emptySettings(): Settings {
  return { vars: {}, targets: [], timeoutMs: DEFAULT_TIMEOUT_MS, redact: [], leftovers: 'off', extra: {} };
}

/**
 * Parses settings YAML. `firstLine` is the file line of the YAML's first line (2 for front matter
 * after the opening `---`), so positions point into the real file.
 */
export function parseSettings(yamlText: string, file: string, firstLine = 1): Settings {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  const at = (node: YamlNode | null | undefined): Position => {
    const offset = node?.range?.[0] ?? 0;
    return { file, line: lineCounter.linePos(offset).line + firstLine - 1 };
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = (e.linePos?.[0]?.line ?? 1) + firstLine - 1;
    throw new RunbookError(`invalid YAML: ${e.message.split('\n')[0]}`, { file, line }, undefined, 'Fix the YAML syntax (indentation, quotes, colons).');
  }
  const settings = emptySettings();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return settings;
  if (!isMap(root)) throw new RunbookError('settings must be a YAML mapping (key: value)', at(root));
  settings.source = at(root);

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as YamlNode | null;
    const pos = at(pair.key as YamlNode);
    switch (key) {
      case 'title':
        settings.title = scalarString(value, pos, 'title');
        break;
      case 'vars':
        settings.vars = parseVars(value, pos, at);
        break;
      case 'targets':
        settings.targets = parseTargets(value, pos, at);
        break;
      case 'timeout': {
        const text = scalarString(value, pos, 'timeout');
        const ms = parseDuration(text);
        if (ms === undefined) throw new RunbookError(`bad duration timeout: ${text}`, pos, undefined, 'Use 500ms, 30s, 5m, 1h or a number of seconds.');
        settings.timeoutMs = ms;
        break;
      }
      case 'redact':
        settings.redact = parseRedact(value, pos, at);
        break;
      case 'leftovers': {
        const mode = scalarString(value, pos, 'leftovers');
        if (!(LEFTOVERS_MODES as readonly string[]).includes(mode)) {
          throw new RunbookError(`bad leftovers: ${mode}`, pos, undefined, 'Use fail (a chapter that leaves objects behind fails), warn (the run notes them) or off.');
        }
        settings.leftovers = mode as (typeof LEFTOVERS_MODES)[number];
        break;
      }
      default:
        if ((CHAPTER_KEYS as readonly string[]).includes(key)) break; // a single file's chapter keys: see chapter-meta.ts
        if (FEATURE_KEYS.includes(key)) {
          settings.extra[key] = value && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : null;
          break;
        }
        {
          const near = closest(key, [...KNOWN_KEYS, ...FEATURE_KEYS, ...CHAPTER_KEYS]);
          throw new RunbookError(
            `unknown setting "${key}"`,
            pos,
            undefined,
            `${near ? `Did you mean "${near}"? ` : ''}Settings are: ${[...KNOWN_KEYS, ...FEATURE_KEYS].join(', ')}.`,
          );
        }
    }
  }
  // schemas/settings.schema.json: what the checks above do not look at (feature sections' values).
  const problem = settingsSchemaProblem(doc, lineCounter, firstLine, { skipChapterKeys: true });
  if (problem) throw settingsSchemaError(problem, file);
  return settings;
}

function scalarString(node: YamlNode | null, pos: Position, what: string): string {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
    throw new RunbookError(`${what} must be a single value`, pos);
  }
  return String(node.value);
}

function parseVars(node: YamlNode | null, pos: Position, at: (n: YamlNode) => Position): Record<string, string> {
  if (node === null || (isScalar(node) && node.value === null)) return {};
  if (!isMap(node)) throw new RunbookError('vars must be a mapping of NAME: value', pos);
  const vars: Record<string, string> = {};
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const p = at(pair.key as YamlNode);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RunbookError(`bad variable name "${name}"`, p, undefined, 'Use letters, digits and _ (not starting with a digit).');
    vars[name] = scalarString(pair.value as YamlNode, p, `vars.${name}`);
  }
  return vars;
}

function parseTargets(node: YamlNode | null, pos: Position, at: (n: YamlNode) => Position): TargetSettings[] {
  if (!isMap(node)) throw new RunbookError('targets must be a mapping of NAME: { context: GLOB }', pos);
  return node.items.map((pair) => {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const p = at(pair.key as YamlNode);
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) throw new RunbookError(`bad target name "${name}"`, p);
    const target: TargetSettings = { name, requires: [], position: p };
    const value = pair.value as YamlNode | null;
    if (value === null || (isScalar(value) && value.value === null)) return target;
    if (!isMap(value)) throw new RunbookError(`target ${name} must be a mapping such as { context: kind-demo }`, p);
    for (const item of value.items) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      const kp = at(item.key as YamlNode);
      if (key === 'context') target.context = scalarString(item.value as YamlNode, kp, `targets.${name}.context`);
      else if (key === 'description') scalarString(item.value as YamlNode, kp, `targets.${name}.description`);
      else if (key === 'requires') {
        if (!isSeq(item.value)) throw new RunbookError(`targets.${name}.requires must be a list of commands`, kp);
        target.requires = item.value.items.map((t) => scalarString(t as YamlNode, at(t as YamlNode), `targets.${name}.requires`));
      } else {
        throw new RunbookError(`unknown key "${key}" in target ${name}`, kp, undefined, `Target keys are: ${TARGET_KEYS.join(', ')}.`);
      }
    }
    return target;
  });
}

function parseRedact(node: YamlNode | null, pos: Position, at: (n: YamlNode) => Position): string[] {
  if (node === null) return [];
  if (!isSeq(node)) throw new RunbookError('redact must be a list of regular expressions', pos);
  return node.items.map((item) => {
    const p = at(item as YamlNode);
    const source = scalarString(item as YamlNode, p, 'redact entry');
    try {
      new RegExp(source);
    } catch (e) {
      throw new RunbookError(`bad redact regex ${source}: ${(e as Error).message}`, p);
    }
    return source;
  });
}
