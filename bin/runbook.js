#!/usr/bin/env node
// Entry point of the `runbook` command: the engine compiled to JavaScript in dist/ (built by
// `npm ci` through the prepare script, or by `npm run build`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('runbook: the engine is not built (dist/cli.js is missing).\n  Run `npm ci` (or `npm run build`) in the project directory first.\n');
  process.exit(2);
}
// A closed pipe (`runbook list | head`) or a closed terminal is not worth a crash: the output is
// dropped and the run still finishes (and cleans up) normally.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {});
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
