#!/usr/bin/env node
// Entry point of the `runbook` command: TypeScript runs through tsx's loader, so there is no
// build step to remember after `npm ci`.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`runbook list | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import('../engine/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
