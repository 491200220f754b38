// The floor of `runbook render --html` on a big document: asciidoctor.js alone converting the
// AsciiDoc the render writes, as shipped (no offline highlighter; of the engine's tuning only
// the one line below). Usage:
//   node bench/asciidoctor-alone.mjs FILE.adoc
import { readFileSync } from 'node:fs';
import Asciidoctor from '@asciidoctor/core';

const [file] = process.argv.slice(2);
// As the engine does (engine/render/html.ts): Opal throws an Error for every `break`; no stacks.
Error.stackTraceLimit = 0;
Asciidoctor().convert(readFileSync(file, 'utf8'), { safe: 'safe', standalone: true, attributes: { toc: 'left', 'icons!': '', reproducible: '' } });
