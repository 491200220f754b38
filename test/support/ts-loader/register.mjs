// The tests' TypeScript loader (.taprc `node-arg`): strips types with esbuild, the compiler the
// build already uses, and keeps the line structure so coverage maps back to the sources. It
// replaces tap's TypeScript plugin, which loaded the TypeScript compiler (ts-node) into every test
// process: about 1.5 s of CPU per test file on a 2-core machine. tsx would be as quick, but it
// writes each module on one line, and tap's coverage then counts every line as run.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
