// Where links and images point once the chapters are one document next to README.adoc: links
// to a chapter (or a heading in it) become cross references, other relative paths are rewritten
// relative to the document, web addresses stay as they are.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ChapterContext } from './types.ts';

export type LinkTarget = { xref: string } | { url: string };

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** A path in the repository, written relative to the README's directory. */
export function relativeToDocument(absolute: string, ctx: ChapterContext): string {
  return toPosix(relative(ctx.outDir, absolute)) || '.';
}

export function linkTarget(url: string, ctx: ChapterContext): LinkTarget {
  if (EXTERNAL.test(url) || url.startsWith('//')) return { url };
  const hash = url.indexOf('#');
  const path = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : decodeURIComponent(url.slice(hash + 1));
  if (!path) {
    const id = ctx.ids?.bySlug.get(fragment);
    return id ? { xref: id } : { url };
  }
  const absolute = resolve(dirname(ctx.file.path), decodeURIComponent(path));
  const chapter = ctx.chapterIds.get(absolute);
  if (chapter) {
    const id = fragment ? chapter.bySlug.get(fragment) : chapter.firstId;
    if (id) return { xref: id };
  }
  return { url: relativeToDocument(absolute, ctx) + (fragment ? `#${fragment}` : '') };
}

/** The image path for the document; local images are remembered for the HTML site. */
export function imageTarget(url: string, ctx: ChapterContext, base = dirname(ctx.file.path)): string {
  if (EXTERNAL.test(url) || url.startsWith('//')) return url;
  const absolute = isAbsolute(url) ? url : resolve(base, decodeURIComponent(url));
  const relativePath = relativeToDocument(absolute, ctx);
  const path = ctx.sitePaths ? insideSite(relativePath) : relativePath;
  if (existsSync(absolute)) ctx.images.set(path, absolute);
  return path;
}

/** A path relative to the site's page that stays inside the site: each leading `..` becomes `_parent`. */
export function insideSite(relativePath: string): string {
  const parts = relativePath.split('/');
  let up = 0;
  while (parts[up] === '..') up++;
  return [...Array(up).fill('_parent'), ...parts.slice(up)].join('/');
}

/** True when a path relative to the document leaves its directory. */
export function leavesDirectory(relativePath: string): boolean {
  return relativePath === '..' || relativePath.startsWith('../');
}
