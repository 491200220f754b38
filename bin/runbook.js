#!/usr/bin/env node
// Entry point of the `runbook` command: TypeScript runs through tsx's loader, so there is no
// build step to remember after `npm ci`.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`runbook list | head`) or a closed terminal is not worth a crash: the output is
// dropped and the run still finishes (and cleans up) normally.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {});
}
const { main } = await import('../engine/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
