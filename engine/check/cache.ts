// Results of slow offline checks (shellcheck, the manifest type check), kept beside the runbook in
// .runbook/cache/NAME.json by a hash of what was checked and of the tool that checked it, so a
// second `runbook check` only pays for what changed. Only entries used by this check are saved
// back, so the file never outgrows the runbook. A cache that cannot be read is simply empty.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../write/atomic-write.ts';

export function hashOf(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url');
}

export class CheckCache<T> {
  private readonly file: string;
  private readonly stored: Record<string, T>;
  private readonly used: Record<string, T> = {};
  private changed = false;

  constructor(runbookRoot: string, name: string) {
    this.file = join(runbookRoot, '.runbook', 'cache', `${name}.json`);
    this.stored = readJson(this.file);
  }

  get(key: string): T | undefined {
    if (!Object.hasOwn(this.stored, key)) return undefined;
    this.used[key] = this.stored[key];
    return this.stored[key];
  }

  set(key: string, value: T): void {
    this.used[key] = value;
    this.changed = true;
  }

  /** Writes the entries this check used; a cache that cannot be written is not worth failing for. */
  save(): void {
    if (!this.changed && Object.keys(this.used).length === Object.keys(this.stored).length) return;
    try {
      writeFileAtomic(this.file, JSON.stringify(this.used));
    } catch {
      /* read-only checkout: the next check recomputes */
    }
  }
}

function readJson<T>(file: string): Record<string, T> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}
