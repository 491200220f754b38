// The settings schema as the reader applies it: through the standalone validator generated from
// schemas/settings.schema.json (engine/schema/settings-validator.generated.ts), against what the
// obvious alternative costs — loading ajv and compiling the schema when a command starts. Both
// validate the tutorial's runbook.yaml, each in a fresh process (start-up is what a command pays),
// against the same process that only parses the YAML. Goal: the generated validator adds at most
// 5 ms to a command; the ajv way is measured beside it, for the record (no goal).
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wholeProcess, type Case } from './harness.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
let dir = '';

const script = (name: string) => join(dir, name);

function setup(): void {
  if (dir) return;
  dir = mkdtempSync(join(tmpdir(), 'runbook-bench-schema-'));
  const yamlFile = join(ROOT, 'runbook/runbook.yaml');
  const parse = `import { readFileSync } from 'node:fs';\nimport { parseDocument } from ${JSON.stringify(join(ROOT, 'node_modules/yaml/dist/index.js'))};\n` +
    `const data = parseDocument(readFileSync(${JSON.stringify(yamlFile)}, 'utf8')).toJS();\n`;
  writeFileSync(script('baseline.mjs'), `${parse}if (!data) process.exit(1);\n`);
  writeFileSync(
    script('generated.mjs'),
    `${parse}const { default: validate } = await import(${JSON.stringify(script('validator.mjs'))});\nif (!validate(data)) process.exit(1);\n`,
  );
  writeFileSync(
    script('ajv.mjs'),
    `${parse}const { Ajv } = await import(${JSON.stringify(join(ROOT, 'node_modules/ajv/dist/ajv.js'))});\n` +
      `const ajv = new Ajv({ allowUnionTypes: true, verbose: true });\nfor (const f of ['regex', 'runbook-duration', 'runbook-threshold', 'runbook-viewport', 'runbook-positive-number']) ajv.addFormat(f, () => true);\n` +
      `const validate = ajv.compile(JSON.parse(readFileSync(${JSON.stringify(join(ROOT, 'schemas/settings.schema.json'))}, 'utf8')));\nif (!validate(data)) process.exit(1);\n`,
  );
  // The generated module with its format checks as "always true", as on the ajv side.
  const generated = readFileSync(join(ROOT, 'engine/schema/settings-validator.generated.ts'), 'utf8')
    .replace(/^\/\/ @ts-nocheck\n/, '')
    .replace(/^import \{ SCHEMA_FORMATS as schemaFormats \} from '.\/formats.ts';$/m, 'const schemaFormats = new Proxy({}, { get: () => () => true });');
  writeFileSync(script('validator.mjs'), generated);
}

export function schemaCases(): Case[] {
  const baseline = { label: 'YAML parse only', run: () => wholeProcess(process.execPath, [script('baseline.mjs')])() };
  return [
    {
      name: 'settings schema: what the generated validator adds to a fresh process',
      setup,
      a: { label: 'parse + generated validator', run: () => wholeProcess(process.execPath, [script('generated.mjs')])() },
      b: baseline,
      goals: [{ kind: 'perItem', value: 5, items: 1, unit: 'process' }],
      pairs: 7,
    },
    {
      name: 'settings schema: what loading ajv and compiling at start-up would add (for the record)',
      setup,
      teardown: () => rmSync(dir, { recursive: true, force: true }),
      a: { label: 'parse + ajv load + compile', run: () => wholeProcess(process.execPath, [script('ajv.mjs')])() },
      b: baseline,
      goals: [],
      pairs: 7,
    },
  ];
}
