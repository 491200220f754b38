// Browser tests need a real Chromium. Without one the suite says so loudly: it fails with the
// install hint, unless RUNBOOK_SKIP_BROWSER_TESTS=1, which skips the file with a visible reason.
import type { Test } from 'tap';
import { findChromium } from '../../../engine/browser/find-chromium.ts';

/** The browser path, or undefined after failing or skipping the test file. */
export function requireBrowser(t: Test): string | undefined {
  try {
    return findChromium();
  } catch (e) {
    const why = (e as Error).message;
    if (process.env.RUNBOOK_SKIP_BROWSER_TESTS === '1') {
      t.test('tests that need Chromium', { skip: `RUNBOOK_SKIP_BROWSER_TESTS=1 and ${why.split('.')[0]}` }, async () => {});
    } else {
      t.fail(`${why}\nInstall a browser, or set RUNBOOK_SKIP_BROWSER_TESTS=1 to skip the browser tests on purpose.`);
    }
    return undefined;
  }
}
