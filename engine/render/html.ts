// README.adoc → a one-page HTML site that works from disk with no network: asciidoctor's default
// stylesheet embedded, no web fonts, no icon font, a table of contents on the left, syntax
// highlighting done at conversion time (highlight.ts), and the images copied next to the page.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../write/atomic-write.ts';
import { dirname, join, normalize, resolve } from 'node:path';
import Asciidoctor from '@asciidoctor/core';
import { highlight, HIGHLIGHT_CSS } from './highlight.ts';
import { cacheAnchoredPatterns } from './asciidoctor-scanner.ts';
import type { RenderedDocument } from './document.ts';

export const OFFLINE_HIGHLIGHTER = 'runbook-offline';

type AsciidoctorApi = ReturnType<typeof Asciidoctor>;
let processor: AsciidoctorApi | undefined;

/** One asciidoctor per process, with the offline highlighter registered. */
export function asciidoctor(): AsciidoctorApi {
  if (processor) return processor;
  processor = Asciidoctor();
  cacheAnchoredPatterns((globalThis as { Opal?: Parameters<typeof cacheAnchoredPatterns>[0] }).Opal);
  processor.SyntaxHighlighter.register(OFFLINE_HIGHLIGHTER, {
    handlesHighlighting: () => true,
    highlight: (_node: unknown, source: string, lang: string | undefined) => highlight(source, lang),
    format: (node: { getContent(): string }, lang: string | undefined) =>
      `<pre class="highlight"><code${lang ? ` class="language-${lang}" data-lang="${lang}"` : ''}>${node.getContent()}</code></pre>`,
    hasDocinfo: (location: string) => location === 'head',
    docinfo: () => `<style>${HIGHLIGHT_CSS}</style>`,
  });
  return processor;
}

/** Attributes that keep the page offline and reproducible, whatever the document header says. */
export const SITE_ATTRIBUTES: Record<string, string> = {
  'source-highlighter': OFFLINE_HIGHLIGHTER,
  'linkcss!': '',
  'webfonts!': '',
  'icons!': '', // the icon font would come from a CDN; admonitions get text labels instead
  'stem!': '',
  toc: 'left',
  reproducible: '',
  nofooter: '',
};

export interface ConvertResult {
  html: string;
  /** asciidoctor's warnings and errors, as "SEVERITY: text". */
  warnings: string[];
}

/** Converts AsciiDoc to a standalone HTML page, collecting asciidoctor's messages. */
export function convertToHtml(text: string, baseDir: string): ConvertResult {
  const ad = asciidoctor();
  const logger = ad.MemoryLogger.create();
  const previous = ad.LoggerManager.getLogger();
  ad.LoggerManager.setLogger(logger);
  // Opal (asciidoctor.js's Ruby runtime) implements `break` and `return` inside blocks by
  // creating and throwing an Error; capturing its stack trace was most of the cost of every
  // section lookahead. Nothing reads those stacks, so none are captured while converting.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const html = ad.convert(text, { safe: 'safe', standalone: true, base_dir: baseDir, attributes: SITE_ATTRIBUTES }) as string;
    const warnings = logger
      .getMessages()
      .filter((m) => !['DEBUG', 'INFO'].includes(m.getSeverity()))
      .map((m) => `${m.getSeverity()}: ${m.getText()}`);
    return { html, warnings };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    ad.LoggerManager.setLogger(previous);
  }
}

export interface SiteResult {
  index: string;
  images: string[];
  /** Images that could not be copied, with the reason. */
  missingImages: string[];
  warnings: string[];
}

export function renderSite(doc: RenderedDocument, options: { adocPath: string; siteDir: string }): SiteResult {
  const baseDir = dirname(resolve(options.adocPath));
  const { html, warnings } = convertToHtml(doc.text, baseDir);
  mkdirSync(options.siteDir, { recursive: true });
  const images: string[] = [];
  const missingImages: string[] = [];
  for (const image of doc.images) {
    const from = doc.imageFiles[image] ?? resolve(baseDir, image);
    const inside = normalize(image);
    // Images outside the document's directory would land outside the site (render the site's
    // document with sitePaths, which gives them paths inside it); reported, never written there.
    if (inside.startsWith('..')) {
      missingImages.push(`${image} (outside the document's directory)`);
      continue;
    }
    if (!existsSync(from)) {
      missingImages.push(`${image} (not found)`);
      continue;
    }
    const to = join(options.siteDir, inside);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    images.push(image);
  }
  const index = join(options.siteDir, 'index.html');
  writeFileAtomic(index, html);
  return { index, images, missingImages, warnings };
}
