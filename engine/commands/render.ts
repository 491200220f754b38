// `runbook render`: the runbook as one README.adoc (and, unless --check, an offline HTML site).
// `--check` writes nothing and exits 1 when README.adoc is not what the sources render to.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../write/atomic-write.ts';
import { relative, resolve } from 'node:path';
import { EXIT } from '../errors.ts';
import { DEFAULT_ADOC_NAME, renderDocument } from '../render/document.ts';
import { leavesDirectory } from '../render/links.ts';
import { load } from './load.ts';

export interface RenderOptions {
  adoc?: string;
  html?: string;
  check?: boolean;
}

export const DEFAULT_ADOC = DEFAULT_ADOC_NAME;
export const DEFAULT_SITE = 'site';

export async function renderCommand(path: string | undefined, options: RenderOptions): Promise<number> {
  const runbook = load(path, { allowEmpty: true });
  const adocPath = resolve(options.adoc ?? DEFAULT_ADOC);
  const shown = relative(process.cwd(), adocPath) || adocPath;
  const rendered = renderDocument(runbook, { adocPath });
  const current = existsSync(adocPath) ? readFileSync(adocPath, 'utf8') : undefined;

  if (options.check) {
    if (current === rendered.text) {
      process.stdout.write(`${shown} is up to date\n`);
      return EXIT.ok;
    }
    process.stderr.write(
      `${shown} is ${current === undefined ? 'missing' : 'out of date'}: it does not match what ${relative(process.cwd(), runbook.path) || '.'} renders to.\n` +
        `Run \`runbook render${path ? ` ${path}` : ''}${options.adoc ? ` --adoc ${options.adoc}` : ''}\` and commit the result.\n`,
    );
    return EXIT.failed;
  }

  if (current !== rendered.text) {
    writeFileAtomic(adocPath, rendered.text);
    process.stdout.write(`wrote ${shown}\n`);
  } else process.stdout.write(`${shown} unchanged\n`);

  const siteDir = resolve(options.html ?? DEFAULT_SITE);
  const { renderSite } = await import('../render/html.ts');
  // Images outside the AsciiDoc file's directory (--adoc out/x.adoc, images in ./images) get
  // paths inside the site, which keeps copies of them: every image resolves wherever the outputs go.
  const siteDocument = rendered.images.some(leavesDirectory) ? renderDocument(runbook, { adocPath, sitePaths: true }) : rendered;
  const site = renderSite(siteDocument, { adocPath, siteDir });
  for (const w of site.warnings) process.stderr.write(`${shown}: asciidoctor: ${w}\n`);
  for (const m of site.missingImages) process.stderr.write(`${shown}: image not copied into the site: ${m}\n`);
  process.stdout.write(`wrote ${relative(process.cwd(), site.index) || site.index} (${site.images.length} image${site.images.length === 1 ? '' : 's'})\n`);
  return EXIT.ok;
}
