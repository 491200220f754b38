// `screenshot url=URL file=images/NAME.png [login=USER] [wait-for=TEXT] [selector=CSS] [full-page] …`:
// a headless-browser screenshot kept stable on disk (engine/directives/screenshot.ts), shown to
// readers as the image.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DirectiveDefinition, ValueCheck } from '../definition.ts';
import { httpUrl, nonBlank } from '../values.ts';
import { parseActions } from '../../browser/actions.ts';
import { parseThreshold } from '../../browser/settings.ts';
import { attrValue, monospace } from '../../render/adoc-syntax.ts';
import { imageTarget } from '../../render/links.ts';

const pngFile: ValueCheck = (value) => (!/\.png$/i.test(value) ? `file=${value} must be a .png` : undefined);
const viewport: ValueCheck = (value) => (!/^\d+x\d+$/.test(value) ? 'use WIDTHxHEIGHT such as 1280x800' : undefined);
const scale: ValueCheck = (value) => (!(Number(value) > 0) ? 'use a positive number such as 2' : undefined);
const threshold: ValueCheck = (value) => (parseThreshold(value) === undefined ? 'use a percentage such as 0.1% or a fraction such as 0.001' : undefined);
const actions: ValueCheck = (value) => {
  try {
    parseActions(value);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

export const screenshot: DirectiveDefinition = {
  verb: 'screenshot',
  summary: 'a headless browser screenshot written to file=, replaced only when the page changed',
  attrs: {
    url: { required: true, check: httpUrl },
    file: { required: true, check: pngFile },
    login: { check: nonBlank },
    'wait-for': { check: nonBlank },
    selector: { check: nonBlank },
    viewport: { check: viewport },
    scale: { check: scale },
    mask: { check: nonBlank },
    threshold: { check: threshold },
    actions: { check: actions },
  },
  flags: ['full-page'],
  check: (attrs, flags) => (attrs.selector && flags.includes('full-page') ? 'use selector= (one element) or full-page (the whole page), not both' : undefined),
  needsCluster: false,
  namespaces: () => [],
  render(step, ctx) {
    const { file, url } = step.attrs;
    if (!/\$/.test(file) && existsSync(resolve(ctx.cwd, file))) return [`image::${imageTarget(file, ctx, ctx.cwd)}[${attrValue(`Screenshot of ${url}`)}]`];
    return [`NOTE: Screenshot not captured yet: the next \`+runbook run --write+\` takes ${monospace(url)} into ${monospace(file)}.`];
  },
  load: () => import('../screenshot.ts').then((m) => m.handler),
};
