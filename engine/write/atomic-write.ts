// The one way the engine writes a file a person may be reading: a temp file on the same
// filesystem, then a rename over the target, so nobody ever sees half a file. A symlinked path
// is followed (the link stays a link); an existing file keeps its mode, owner and group (a
// read-only file stays read-only, as `sed -i` leaves it); a file whose replacement would change
// what the author has — a file with other hard links, a file of another user we cannot give
// back — is refused with a message saying why.
// I/O errors (an unwritable directory, a full disk) become one-line errors with the contract's
// exit code 1, and a failed write leaves no temp file. Temp files can be staged in a directory
// of their own (`stagingDir`), so a write killed half-way leaves nothing beside the target;
// leftovers of killed writers are removed by the next write.
import { chmodSync, chownSync, closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { EXIT, RunbookError } from '../errors.ts';
import { running } from '../execute/process-table.ts';

export interface AtomicWriteOptions {
  /** Mode of the written file; default: the existing file's, or 0666 less the umask. */
  mode?: number;
  /** Where the temp file is written; used when it is on the target's filesystem, else beside it. */
  stagingDir?: string;
  /** Flush the data to the disk before the rename (an author's source survives a power cut). */
  durable?: boolean;
}

/** A write the engine will not do, or could not do: one line for the user, exit code 1. */
export class WriteError extends RunbookError {
  constructor(message: string, hint?: string) {
    super(message, undefined, EXIT.failed, hint);
    this.name = 'WriteError';
  }
}

/** Writes `data` (or each chunk of it, in order) to a temp file, then renames it over `path`. */
export function writeFileAtomic(path: string, data: string | Buffer | Iterable<string>, options: AtomicWriteOptions = {}): void {
  const target = resolveLink(path);
  const dir = dirname(target);
  ensureDirectory(dir, path);
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing) checkReplaceable(path, existing);
  const staging = stagingFor(dir, options.stagingDir);
  removeLeftovers(staging, basename(target));
  const tmp = join(staging, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    for (const chunk of typeof data === 'string' || Buffer.isBuffer(data) ? [data] : data) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    }
    if (options.durable) fsyncSync(fd);
    const mode = options.mode ?? (existing ? existing.mode & 0o7777 : 0o666 & ~process.umask());
    chmodSync(tmp, mode);
    if (existing && (existing.uid !== fstatSync(fd).uid || existing.gid !== fstatSync(fd).gid)) keepOwner(tmp, path, existing);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    if (e instanceof WriteError) throw e;
    throw ioError(path, e as NodeJS.ErrnoException);
  }
}

/** Throws WriteError when `path` exists and replacing it would change what its author has. */
export function checkReplaceable(path: string, st = statSync(resolveLink(path), { throwIfNoEntry: false })): void {
  if (!st) return;
  if (!st.isFile()) throw new WriteError(`cannot write ${path}: it is not a regular file`);
  if (st.nlink > 1) {
    throw new WriteError(
      `not writing ${path}: it has ${st.nlink} hard links, and replacing it would leave the other names with the old text`,
      'Replace the extra links with symbolic links (or copies) to let runbook write it.',
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && st.uid !== uid && (st.mode & 0o022) === 0) {
    throw new WriteError(`not writing ${path}: it belongs to another user (uid ${st.uid}) and is not writable for you`);
  }
}

/** Gives the new file the old one's owner and group, or refuses rather than change them. */
function keepOwner(tmp: string, path: string, st: import('node:fs').Stats): void {
  try {
    chownSync(tmp, st.uid, st.gid);
  } catch {
    throw new WriteError(`not writing ${path}: it belongs to uid ${st.uid}, gid ${st.gid}, and the rewritten file could not keep that owner`, 'Run as its owner, or change its owner first.');
  }
}

function ensureDirectory(dir: string, path: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw ioError(path, e as NodeJS.ErrnoException);
  }
}

/** The staging directory when it can be made and shares the target's filesystem (rename needs that). */
function stagingFor(dir: string, staging: string | undefined): string {
  if (!staging) return dir;
  try {
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    return statSync(staging).dev === statSync(dir).dev ? staging : dir;
  } catch {
    return dir;
  }
}

/** Removes temp files of `name` left by writers that were killed (their pid no longer runs). */
function removeLeftovers(dir: string, name: string): void {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const pid = Number(entry.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !running(pid)) rmSync(join(dir, entry), { force: true });
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EIO: 'input/output error',
  EFBIG: 'the file is too large for this file system',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'the name is too long',
};

/** An I/O error as one line naming the file. */
export function ioError(path: string, e: NodeJS.ErrnoException): WriteError {
  const reason = (e.code && REASONS[e.code]) ?? e.message;
  return new WriteError(`cannot write ${path}: ${reason}${e.code ? ` (${e.code})` : ''}`);
}

/** The file a path names, through symbolic links; the path itself when it does not exist (yet). */
export function resolveLink(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // does not exist yet
  }
}
