// Images go into the report as data: URIs so the one HTML file can be mailed or attached to a
// CI run and still show them. Very large images are left out with a note, not inlined.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { escapeHtml } from './html-text.ts';

export const MAX_INLINE_IMAGE_BYTES = 8 * 1024 * 1024;

export function inlinePng(path: string | undefined, alt: string): string {
  if (!path) return '';
  if (!existsSync(path)) return `<p class="muted">${escapeHtml(alt)}: ${escapeHtml(path)} is no longer on disk</p>`;
  const size = statSync(path).size;
  if (size > MAX_INLINE_IMAGE_BYTES) return `<p class="muted">${escapeHtml(alt)}: ${escapeHtml(path)} (${Math.round(size / 1024 / 1024)} MB, too large to embed)</p>`;
  const data = readFileSync(path).toString('base64');
  return `<img src="data:image/png;base64,${data}" alt="${escapeHtml(alt)}">`;
}
