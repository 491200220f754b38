// Rendering a 10,000-step runbook: README.adoc must take at most 3 s. The HTML conversion of the
// same document (asciidoctor) is reported next to it, without a target, with its ratio to render.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadRunbook } from '../engine/read/index.ts';
import { renderDocument } from '../engine/render/document.ts';
import { convertToHtml } from '../engine/render/html.ts';
import { writeGenerated } from './generate.ts';
import type { Measurement } from './measurement.ts';

const STEPS = 10_000;

export async function benchRender(): Promise<Measurement[]> {
  const { dir, file } = writeGenerated(STEPS);
  try {
    let started = performance.now();
    const runbook = loadRunbook(file);
    const loadMs = performance.now() - started;

    started = performance.now();
    const doc = renderDocument(runbook, { adocPath: join(dir, 'README.adoc'), cwd: dir });
    const renderMs = performance.now() - started;

    started = performance.now();
    const { warnings } = convertToHtml(doc.text, dir);
    const htmlMs = performance.now() - started;
    if (warnings.length) throw new Error(`asciidoctor warned: ${warnings[0]}`);

    return [
      { name: `load ${STEPS} steps`, value: loadMs / 1000, unit: 's' },
      { name: `render README.adoc from ${STEPS} steps`, value: renderMs / 1000, unit: 's', limit: 3, better: 'lower' },
      { name: `HTML site from the same document`, value: htmlMs / 1000, unit: 's' },
      { name: 'HTML conversion / render (ratio)', value: htmlMs / renderMs, unit: 'x' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
