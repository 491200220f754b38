// The shipped command's start-up: what each command loads before it does anything, read from
// esbuild's metafile of the build (dist/meta.json, written by scripts/build.mjs before the tests).
// `runbook --help` loads the bundle and Node's built-ins only; no command's start-up loads the
// heavy packages (they are imported where they are used); and those stay out of the bundle.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..');
const HEAVY = ['@asciidoctor/core', '@kubernetes/client-node', '@kubernetes-models/istio', 'kubernetes-models', 'playwright-core', 'typescript'];

interface Output {
  entryPoint?: string;
  imports: { path: string; kind: string; external?: boolean }[];
}
const meta = JSON.parse(readFileSync(join(PROJECT, 'dist', 'meta.json'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, Output> };

/** Packages a module of the bundle loads as it starts: its static imports, followed through the bundle's own chunks. */
function loadedAtStart(output: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(output)) return packages;
  seen.add(output);
  for (const i of meta.outputs[output]?.imports ?? []) {
    if (i.kind !== 'import-statement') continue; // import() loads when the code that needs it runs
    if (i.external) packages.add(i.path);
    else loadedAtStart(i.path, seen, packages);
  }
  return packages;
}

const packageName = (path: string) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');
const outputFor = (entry: string) => Object.keys(meta.outputs).find((f) => meta.outputs[f].entryPoint === entry);

t.test('the command line itself (--help, --version) loads no package from node_modules', async (t) => {
  const packages = [...loadedAtStart('dist/cli.js')].filter((p) => !p.startsWith('node:'));
  t.same(packages, []);
});

t.test('no command loads a heavy package as it starts', async (t) => {
  for (const command of ['run', 'list', 'check', 'render', 'report', 'write', 'doctor', 'init']) {
    const output = outputFor(`engine/commands/${command}.ts`);
    t.ok(output, `${command} is a chunk of its own`);
    const heavy = [...loadedAtStart(output!)].map(packageName).filter((p) => HEAVY.includes(p));
    t.same(heavy, [], `runbook ${command}`);
  }
});

t.test('the heavy packages stay out of the bundle; the small ones are in it', async (t) => {
  const bundled = new Set(Object.keys(meta.inputs).filter((p) => p.startsWith('node_modules/')).map((p) => packageName(p.slice('node_modules/'.length))));
  t.same(HEAVY.filter((p) => bundled.has(p)), []);
  for (const small of ['yaml', 'commander', 'diff']) t.ok(bundled.has(small), `${small} is bundled`);
});
