// The directory the engine is installed in (the one holding its package.json): the same whether
// the engine runs from its TypeScript sources (development, tests) or from the bundle in dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findInstallRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'engine'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the engine's installation above ${from}`);
  }
}

export const INSTALL_ROOT = findInstallRoot(dirname(fileURLToPath(import.meta.url)));

/** The engine's version from its package.json, or undefined when it cannot be read. */
export function engineVersion(): string | undefined {
  try {
    const version = JSON.parse(readFileSync(join(INSTALL_ROOT, 'package.json'), 'utf8')).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
