// Temporary directories for tests, removed when the test ends.
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempDir(t: { teardown(fn: () => void): void }, prefix = 'runbook-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files given as { 'relative/path': 'content' } under dir. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

/** Every file under dir with its text (latin1, so any bytes compare), for tests that look for leaks. */
export function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    try {
      if (statSync(path).isFile()) out.set(path, readFileSync(path, 'latin1'));
    } catch {
      /* removed meanwhile */
    }
  }
  return out;
}
