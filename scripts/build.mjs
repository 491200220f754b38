// Builds the shipped command: engine/ (TypeScript) bundled into dist/ as ES modules, one chunk
// per command so `runbook --help` loads only the command line parser. Runs from `npm ci`
// (prepare) and before the tests (.taprc `before`), so dist/ always matches the sources.
// Type checking is `npm run typecheck`; the bundler only strips types.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['engine/cli.ts'],
  outdir,
  bundle: true,
  splitting: true, // the dynamic import() of each command becomes its own chunk
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external', // dependencies load from node_modules as they are
  sourcemap: 'linked',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
