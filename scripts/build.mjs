// Builds the shipped command: engine/ (TypeScript) bundled into dist/ as ES modules, one chunk
// per command so `runbook --help` loads only the command line parser. Runs from `npm ci`
// (prepare) and before the tests (.taprc `before`), so dist/ always matches the sources.
// Type checking is `npm run typecheck`; the bundler only strips types.
//
// Small pure-JavaScript dependencies (yaml, diff, commander, the Markdown parser) are bundled in:
// loaded from node_modules they cost a file and a module wrapper each (yaml alone is 73 files,
// about 15 ms of every command's start-up). Large ones, optional ones and those that find files
// of their own at run time stay external and load from node_modules only in the command that
// needs them. dist/meta.json (esbuild's metafile) records what went where; a test reads it to
// keep the heavy packages out of every command's start-up.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Loaded from node_modules, by the command that needs them (test/bundle.test.ts keeps it so). */
const EXTERNAL = [
  '@asciidoctor/core',
  '@kubernetes/client-node',
  '@kubernetes-models/*',
  'kubernetes-models',
  'pixelmatch',
  'playwright-core',
  'pngjs',
  'typescript',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: ['engine/cli.ts'],
  outdir,
  bundle: true,
  splitting: true, // the dynamic import() of each command becomes its own chunk
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL.flatMap((name) => (name.endsWith('/*') ? [name] : [name, `${name}/*`])),
  sourcemap: 'linked',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS (commander, yaml) requires Node's built-ins; an ES module has no `require`.
  banner: { js: "import { createRequire as __runbookRequire } from 'node:module'; const require = __runbookRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(metafile));
