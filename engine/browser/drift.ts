// Visual drift between the screenshot on disk and a new capture: the share of pixels that
// changed (pixelmatch ignores anti-aliasing noise) and, on demand, an image that shows where.
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export interface Size {
  width: number;
  height: number;
}

export interface Drift {
  changedPixels: number;
  /** changedPixels / all pixels; 1 when the sizes differ or the old file is not a PNG. */
  ratio: number;
  sameSize: boolean;
  oldSize?: Size;
  newSize: Size;
  /** Changed pixels in red over a faded copy of the old image; only when the sizes match. */
  diffPng?(): Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG header, without decoding the pixels. */
export function pngSize(png: Buffer): Size {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG image');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function compareScreenshots(oldPng: Buffer, newPng: Buffer): Drift {
  const newSize = pngSize(newPng);
  // Chromium encodes the same pixels to the same bytes: an unchanged page costs no decoding.
  if (oldPng.equals(newPng)) return { changedPixels: 0, ratio: 0, sameSize: true, oldSize: newSize, newSize };
  const next = PNG.sync.read(newPng);
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
  return { changedPixels, ratio: changedPixels / (next.width * next.height), sameSize: true, oldSize, newSize, diffPng: () => PNG.sync.write(diff) };
}
