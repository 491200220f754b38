// Finds the system's Chromium or Chrome. The engine never downloads a browser: it drives the one
// the machine already has, so screenshots work offline and installs stay small.
import { accessSync, constants } from 'node:fs';

/** Where Debian/Ubuntu, Google Chrome on Linux and macOS put the browser, in the order we try them. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Thrown when no browser can be found; the message says how to get one. */
export class BrowserMissingError extends Error {
  constructor(reason: string) {
    super(
      `${reason}. Screenshots need Chromium or Google Chrome installed on this machine: ` +
        'on Debian/Ubuntu `sudo apt-get install chromium`, on macOS `brew install --cask google-chrome`, ' +
        'or point RUNBOOK_CHROMIUM=/path/to/chrome at a browser you already have.',
    );
    this.name = 'BrowserMissingError';
  }
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The browser to launch: RUNBOOK_CHROMIUM when set (and then only it, so a typo is not hidden by
 * a fallback), otherwise the first known location that holds an executable.
 */
export function findChromium(env: Record<string, string | undefined> = process.env, candidates = CHROMIUM_CANDIDATES): string {
  const chosen = env.RUNBOOK_CHROMIUM;
  if (chosen) {
    if (isExecutable(chosen)) return chosen;
    throw new BrowserMissingError(`RUNBOOK_CHROMIUM=${chosen} is not an executable file`);
  }
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new BrowserMissingError(`no Chromium or Chrome found (looked in ${candidates.join(', ')})`);
}
