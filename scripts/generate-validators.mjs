// Compiles the settings schema (schemas/settings.schema.json) into a standalone validator module
// the reader imports (engine/schema/settings-validator.generated.ts), so a command pays neither
// for loading ajv nor for compiling the schema at start-up. Run after changing the schema:
//   node scripts/generate-validators.mjs          (writes the module)
//   node scripts/generate-validators.mjs --check  (exit 1 when the module is out of date)
// The formats the schema names (runbook-duration, regex, …) are implemented in
// engine/schema/formats.ts; the generated code takes them from there.
import Ajv, { _ } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = join(root, 'schemas/settings.schema.json');
const outFile = join(root, 'engine/schema/settings-validator.generated.ts');

export function generateSettingsValidator() {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const ajv = new Ajv({
    code: { source: true, esm: true, formats: _`schemaFormats`, lines: true },
    allowUnionTypes: true,
    verbose: true, // errors carry their subschema, whose description is the hint shown to the user
    strict: true,
  });
  for (const name of formatNames(schema)) ajv.addFormat(name, () => true); // the real checks are in formats.ts
  const validate = ajv.compile(schema);
  const code = (standaloneCode.default ?? standaloneCode)(ajv, validate);
  if (/\brequire\(/.test(code)) throw new Error('the generated validator needs ajv at run time; keep the schema to keywords that compile standalone');
  return [
    '// @ts-nocheck',
    '// GENERATED from schemas/settings.schema.json by scripts/generate-validators.mjs: do not edit.',
    "import { SCHEMA_FORMATS as schemaFormats } from './formats.ts';",
    code,
    '',
  ].join('\n');
}

function formatNames(node, into = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => formatNames(n, into));
  else if (node && typeof node === 'object') {
    if (typeof node.format === 'string') into.add(node.format);
    Object.values(node).forEach((n) => formatNames(n, into));
  }
  return into;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fresh = generateSettingsValidator();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(outFile, 'utf8');
    } catch {}
    if (current !== fresh) {
      process.stderr.write(`${outFile} is out of date with schemas/settings.schema.json: run node scripts/generate-validators.mjs\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(outFile, fresh);
    process.stdout.write(`wrote ${outFile}\n`);
  }
}
