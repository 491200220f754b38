// One headless browser per run, shared by every screenshot step and closed when the run ends,
// however it ends. Launching costs most of a second; a page in a running browser costs little.
import { chromium, type Browser } from 'playwright-core';
import { findChromium } from './find-chromium.ts';
import type { RunObjects } from '../directives/run-objects.ts';

/**
 * What a root user on a machine without network needs: no sandbox (root cannot use it), no GPU,
 * and nothing that phones home (updates, sync, QUIC probes, first-run pages). Playwright adds a
 * fresh temporary --user-data-dir of its own and removes it on close.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LAUNCH_TIMEOUT_MS = 30_000;

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: LAUNCH_TIMEOUT_MS,
    // The run owns Ctrl-C: it ends the step, runs cleanup, then our teardown closes the browser.
    // Playwright's own handlers would exit the process first. Its exit handler stays: if the
    // process dies anyway, it kills the browser's process group.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** The part of a directive context the browser cache needs. */
export interface BrowserHost {
  shared: Pick<RunObjects, 'browser' | 'browserTeardownRegistered'>;
  onRunEnd(teardown: () => Promise<void> | void): void;
  env: Record<string, string | undefined>;
}


/** The run's browser, launched on first use; a crashed browser is replaced by a new one. */
export async function sharedBrowser(host: BrowserHost): Promise<Browser> {
  const cached = host.shared.browser;
  if (cached) {
    const browser = await cached.catch(() => undefined);
    if (browser?.isConnected()) return browser;
  }
  const env = { ...process.env, ...host.env };
  const launching = Promise.resolve().then(async () => {
    const executable = findChromium(env);
    try {
      return await launchChromium(executable);
    } catch (e) {
      const reason = (e as Error).message.split('\n')[0].replace(/^browserType\.launch: /, '');
      throw new Error(`could not start the browser ${executable}: ${reason}; point RUNBOOK_CHROMIUM at a working Chromium or Chrome`);
    }
  });
  host.shared.browser = launching;
  if (!host.shared.browserTeardownRegistered) {
    host.shared.browserTeardownRegistered = true;
    host.onRunEnd(() => closeSharedBrowser(host.shared));
  }
  return launching;
}

export async function closeSharedBrowser(shared: Pick<RunObjects, 'browser'>): Promise<void> {
  const cached = shared.browser;
  shared.browser = undefined;
  const browser = await cached?.catch(() => undefined);
  await browser?.close();
}
