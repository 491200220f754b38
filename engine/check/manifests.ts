// Strict validation of the tutorial's own YAML (manifests/ and files steps refer to):
//  1. the kubernetes-models / @kubernetes-models/istio runtime validators (types, required
//     fields, enums), and
//  2. unknown fields, which those validators let through: every document is emitted as a typed
//     TypeScript object literal and TypeScript's excess-property check reports any field the
//     schema does not have (`sni_hosts`, `consecutiveErrors`, …).
// Every problem is reported at the YAML file:line it comes from.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments, LineCounter, isMap, isSeq, isScalar, isAlias, type Document, type Node as YamlNode } from 'yaml';
import type { Runbook } from '../model.ts';
import { RunbookError } from '../errors.ts';
import type { CheckFindings } from './types.ts';
import { isIstioKind, istioModelsInstalled, ISTIO_MODELS, manifestType, ownSchemasText } from './manifest-types.ts';
import { apiVersionProblem, deprecatedFields } from './api-policy.ts';
import { INSTALL_ROOT as PROJECT } from '../install-root.ts';
import { CheckCache, hashOf } from './cache.ts';

interface CachedError {
  message: string;
  file: string;
  line: number;
  hint?: string;
}

/** Versions of the schema packages, part of the cache key: new models may judge differently. */
function modelVersions(): string {
  const versions: string[] = [];
  for (const name of ['kubernetes-models', '@kubernetes-models/istio']) {
    try {
      versions.push(`${name}@${JSON.parse(readFileSync(join(PROJECT, 'node_modules', name, 'package.json'), 'utf8')).version}`);
    } catch {
      versions.push(`${name}@none`);
    }
  }
  return versions.join(' ');
}


interface Source {
  file: string; // as shown to the user
  path: string;
  lines: LineCounter;
}

/** A TypeScript literal being written, with the YAML line each of its lines comes from. */
class LiteralWriter {
  readonly lines: string[] = [];
  readonly origin: { source: Source; line: number }[] = [];
  push(text: string, source: Source, line: number): void {
    this.lines.push(text);
    this.origin.push({ source, line });
  }
  /** Continues the last line (a value sits on its key's line). */
  append(text: string): void {
    this.lines[this.lines.length - 1] += text;
  }
}

/** YAML files to validate: every file under manifests/ next to the runbook, plus $RUNBOOK_ROOT/… references. */
export function manifestFiles(runbook: Runbook): string[] {
  const found = new Set<string>();
  for (const dir of [resolve(runbook.root, '..', 'manifests'), resolve(runbook.root, 'manifests')]) {
    if (existsSync(dir)) walk(dir, found);
  }
  for (const step of runbook.steps) {
    if (step.type !== 'command') continue;
    for (const m of step.code.matchAll(/\$\{?RUNBOOK_ROOT\}?(\/[^\s"'`;|&)<>$*]+\.ya?ml)\b/g)) {
      const p = resolve(runbook.root, '.' + m[1]);
      if (existsSync(p)) found.add(p);
    }
  }
  return [...found].sort();
}

function walk(dir: string, out: Set<string>): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(name)) out.add(p);
  }
}

export async function checkManifests(runbook: Runbook, workdir: string): Promise<CheckFindings> {
  const errors: RunbookError[] = [];
  const warnings: string[] = [];
  const istioOk = istioModelsInstalled();
  const uncheckedIstio: string[] = [];
  const typed: { source: Source; doc: Document; typeModule: string; typeName: string; line: number }[] = [];

  for (const path of manifestFiles(runbook)) {
    const source: Source = { file: relative(workdir, path) || path, path, lines: new LineCounter() };
    const text = readFileSync(path, 'utf8');
    const docs = parseAllDocuments(text, { lineCounter: source.lines });
    if (!Array.isArray(docs)) continue; // empty stream
    for (const doc of docs) {
      const at = (node?: YamlNode | null) => ({ file: source.file, line: source.lines.linePos(node?.range?.[0] ?? doc.range[0]).line });
      if (doc.errors.length) {
        const e = doc.errors[0];
        errors.push(new RunbookError(`invalid YAML: ${e.message.split('\n')[0]}`, { file: source.file, line: e.linePos?.[0]?.line ?? 1 }));
        continue;
      }
      if (doc.contents === null) continue;
      if (!isMap(doc.contents)) {
        errors.push(new RunbookError('a manifest must be a YAML mapping with apiVersion and kind (manifest files contain YAML only)', at(doc.contents as YamlNode)));
        continue;
      }
      const apiVersion = String(doc.get('apiVersion') ?? '');
      const kind = String(doc.get('kind') ?? '');
      if (!apiVersion || !kind) {
        errors.push(new RunbookError('manifest without apiVersion or kind', at(doc.contents as YamlNode)));
        continue;
      }
      const policy = apiVersionProblem(apiVersion, kind);
      if (policy) {
        errors.push(new RunbookError(policy, at(doc.get('apiVersion', true) as YamlNode)));
        continue;
      }
      for (const d of deprecatedFields(kind, doc.toJS())) {
        errors.push(new RunbookError(`deprecated field "${d.field}"`, at(doc.getIn(d.path, true) as YamlNode), undefined, `Use ${d.use}.`));
      }
      if (isIstioKind(apiVersion) && !istioOk) {
        uncheckedIstio.push(`${source.file}:${at(doc.contents as YamlNode).line} ${kind}`);
        continue;
      }
      const type = manifestType(apiVersion, kind);
      if (!type) {
        errors.push(new RunbookError(`no schema known for ${apiVersion} ${kind}`, at(doc.contents as YamlNode), undefined, 'Check apiVersion and kind (e.g. networking.istio.io/v1, apps/v1); extensions/v1beta1 and other removed APIs are rejected.'));
        continue;
      }
      if (type.runtimeModule) errors.push(...(await runtimeErrors(type.runtimeModule, kind, doc, at)));
      typed.push({ source, doc, typeModule: type.typeModule, typeName: type.typeName, line: at(doc.contents as YamlNode).line });
    }
  }
  if (typed.length) errors.push(...(await unknownFieldErrors(typed, warnings, runbook.root)));
  if (uncheckedIstio.length) {
    warnings.push(
      `${uncheckedIstio.length} Istio resource(s) not schema-checked: ${ISTIO_MODELS} needs Node.js 22 or newer (this is ${process.version}), so npm did not install it. ` +
        `Run \`npm ci\` under Node.js 22+ to check them. First: ${uncheckedIstio.slice(0, 3).join(', ')}`,
    );
  }
  return { errors, warnings };
}

/** The model's own validate(): required fields, types, enums. */
async function runtimeErrors(spec: string, kind: string, doc: Document, at: (n?: YamlNode | null) => { file: string; line: number }): Promise<RunbookError[]> {
  const mod = (await import(spec)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[kind] ?? (mod.default as unknown as Record<string, new (data: unknown) => { validate(): void }>)?.[kind];
  if (!Model) return [];
  try {
    new Model(doc.toJS()).validate();
    return [];
  } catch (e) {
    const details = (e as { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] }).errors;
    if (!details?.length) return [new RunbookError(`invalid ${kind}: ${(e as Error).message}`, at(doc.contents as YamlNode))];
    return details.slice(0, 5).map((d) => {
      const path = d.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
      const node = (doc.getIn(path, true) as YamlNode | undefined) ?? (doc.contents as YamlNode);
      const where = d.instancePath ? d.instancePath.slice(1).replace(/\//g, '.') : kind;
      return new RunbookError(`${kind} ${where} ${d.message ?? 'is invalid'}`, at(node));
    });
  }
}

/** Emits all documents as typed constants in one virtual TypeScript file and type-checks it. */
async function unknownFieldErrors(
  typed: { source: Source; doc: Document; typeModule: string; typeName: string; line: number }[],
  warnings: string[],
  runbookRoot: string,
): Promise<RunbookError[]> {
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    warnings.push('typescript is not installed; unknown fields in manifests were not checked');
    return [];
  }
  const out = new LiteralWriter();
  const imports = new Map<string, string>();
  typed.forEach((t, i) => {
    const alias = `T${i}`;
    imports.set(alias, `import type { ${t.typeName} as ${alias} } from ${JSON.stringify(t.typeModule)};`);
    out.push(`const m${i}: ${alias} = `, t.source, t.line);
    emitNode(t.doc.contents as YamlNode, t.source, out, 1);
    out.append(';');
  });
  const header = [...imports.values()];
  const text = [...header, ...out.lines].join('\n') + '\nexport {};\n';
  const virtual = join(PROJECT, '__runbook_manifest_check__.ts');
  // The compiler spends seconds loading the models' declarations: the findings are kept by a hash
  // of the literal it checks (sources, lines and YAML included) and of the compiler and models.
  const cache = new CheckCache<CachedError[]>(runbookRoot, 'manifest-types');
  const key = hashOf(text, ts.version, JSON.stringify(out.origin.map((o) => [o.source.file, o.line])), modelVersions(), ownSchemasText());
  const cached = cache.get(key);
  if (cached) {
    cache.save();
    return cached.map((e) => new RunbookError(e.message, { file: e.file, line: e.line }, undefined, e.hint));
  }
  const options: import('typescript').CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (resolve(name) === virtual ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === virtual || fileExists(name);
  const program = ts.createProgram([virtual], options, host);
  const errors: RunbookError[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (!d.file || resolve(d.file.fileName) !== virtual || d.start === undefined) continue;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - header.length;
    const origin = out.origin[line];
    if (!origin) continue;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const unknown = /'"?([^"']+)"?' does not exist in type/.exec(message);
    errors.push(
      unknown && d.code === 2353
        ? new RunbookError(`unknown field "${unknown[1]}"`, { file: origin.source.file, line: origin.line }, undefined, 'Not in the schema of this kind: check the spelling and the API reference (e.g. sniHosts, not sni_hosts).')
        : new RunbookError(summarize(message), { file: origin.source.file, line: origin.line }),
    );
  }
  cache.set(key, errors.map((e) => ({ message: e.message, file: e.position!.file, line: e.position!.line, hint: e.hint })));
  cache.save();
  return errors;
}

function summarize(message: string): string {
  const first = message.split('\n')[0].replace(/\s+/g, ' ');
  return first.length > 200 ? first.slice(0, 197) + '…' : first;
}

/** Writes a YAML node as a TypeScript literal, one property per line, remembering each line's YAML line. */
function emitNode(node: YamlNode | null, source: Source, out: LiteralWriter, depth: number): void {
  const pad = '  '.repeat(depth);
  const lineOf = (n: YamlNode | null | undefined) => source.lines.linePos(n?.range?.[0] ?? 0).line;
  if (isMap(node)) {
    out.append('{');
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out.push(`${pad}${JSON.stringify(key)}: `, source, lineOf(pair.key as YamlNode));
      emitNode(pair.value as YamlNode, source, out, depth + 1);
      out.append(',');
    }
    out.push(`${'  '.repeat(depth - 1)}}`, source, lineOf(node));
  } else if (isSeq(node)) {
    out.append('[');
    for (const item of node.items) {
      out.push(pad, source, lineOf(item as YamlNode));
      emitNode(item as YamlNode, source, out, depth + 1);
      out.append(',');
    }
    out.push(`${'  '.repeat(depth - 1)}]`, source, lineOf(node));
  } else {
    const value = isScalar(node) ? node.value : isAlias(node) ? (node as unknown as { toJSON(): unknown }).toJSON() : null;
    // A YAML null (`key:`) means "not set", which is `undefined` for an optional field.
    out.append(value === null || value === undefined ? 'undefined' : JSON.stringify(value));
  }
}
