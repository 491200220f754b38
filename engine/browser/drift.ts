// Visual drift between the screenshot on disk and a new capture: the share of pixels that
// changed (pixelmatch ignores anti-aliasing noise) and an image that shows where.
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export interface Drift {
  changedPixels: number;
  /** changedPixels / all pixels; 1 when the sizes differ or the old file is not a PNG. */
  ratio: number;
  sameSize: boolean;
  oldSize?: { width: number; height: number };
  newSize: { width: number; height: number };
  /** Changed pixels in red over a faded copy of the old image; only when the sizes match. */
  diffPng?: Buffer;
}

export function pngSize(png: Buffer): { width: number; height: number } {
  const { width, height } = PNG.sync.read(png);
  return { width, height };
}

export function compareScreenshots(oldPng: Buffer, newPng: Buffer): Drift {
  const next = PNG.sync.read(newPng);
  const newSize = { width: next.width, height: next.height };
  let prev: PNG;
  try {
    prev = PNG.sync.read(oldPng);
  } catch {
    return { changedPixels: next.width * next.height, ratio: 1, sameSize: false, newSize };
  }
  const oldSize = { width: prev.width, height: prev.height };
  if (prev.width !== next.width || prev.height !== next.height) {
    return { changedPixels: next.width * next.height, ratio: 1, sameSize: false, oldSize, newSize };
  }
  const diff = new PNG({ width: next.width, height: next.height });
  const changedPixels = pixelmatch(prev.data, next.data, diff.data, next.width, next.height, { threshold: 0.1 });
  return { changedPixels, ratio: changedPixels / (next.width * next.height), sameSize: true, oldSize, newSize, diffPng: PNG.sync.write(diff) };
}
