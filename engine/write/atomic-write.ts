// The one way the engine writes a file a person may be reading: a temp file beside the real
// target, then a rename over it, so nobody ever sees half a file. A symlinked path is followed
// (the link stays a link), an existing file keeps its mode, and a failed write leaves no temp.
import { chmodSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomic(path: string, data: string | Buffer, options: { mode?: number } = {}): void {
  const target = resolveLink(path);
  mkdirSync(dirname(target), { recursive: true });
  const existingMode = modeOf(target);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, { mode: options.mode ?? 0o666 });
    const mode = options.mode ?? existingMode;
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function resolveLink(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // does not exist yet
  }
}

function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}
