// One capture: a fresh browser context (own cookies, viewport and scale), load the page, sign in,
// run the actions, wait for the text, then photograph the page or one element with the volatile
// regions painted over. Every failure is turned into one sentence naming what was awaited.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatDuration } from '../read/duration.ts';
import { runActions, waitForText, describeAction, type Action } from './actions.ts';
import { signIn } from './login.ts';
import type { LoginSettings } from './settings.ts';

export interface CaptureRequest {
  url: string;
  viewport: { width: number; height: number };
  scale: number;
  fullPage: boolean;
  selector?: string;
  /** CSS selector (a comma list is fine) of regions to paint over. */
  mask?: string;
  waitFor?: string;
  login?: { user: string; password: string; form: LoginSettings };
  actions: Action[];
  timeoutMs: number;
  signal?: AbortSignal;
  progress?(status: string): void;
}

export interface Capture {
  png: Buffer;
  /** HTTP status of the page load (an error page can be what the tutorial wants to show). */
  httpStatus?: number;
  finalUrl: string;
}

export class CaptureError extends Error {
  name = 'CaptureError';
}

export async function capture(browser: Browser, request: CaptureRequest): Promise<Capture> {
  const started = Date.now();
  const deadline = started + request.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const context = await browser.newContext({ viewport: request.viewport, deviceScaleFactor: request.scale });
  const abort = () => void context.close().catch(() => {});
  request.signal?.addEventListener('abort', abort, { once: true });
  let doing = 'loading the page';
  const phase = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    doing = what;
    request.progress?.(what);
    return work();
  };
  try {
    const page = await context.newPage();
    const response = await phase(`loading ${request.url}`, () => page.goto(request.url, { waitUntil: 'load', timeout: left() }));
    const login = request.login;
    if (login) await phase(`signing in as ${login.user}`, () => signIn(page, login.user, login.password, login.form, left()));
    for (const action of request.actions) await phase(describeAction(action), () => runActions(page, [action], left()));
    const waitFor = request.waitFor;
    if (waitFor) await phase(`waiting for the text "${waitFor}"`, () => waitForText(page, waitFor, left()));
    const png = await phase('capturing', () => photograph(page, request, left()));
    return { png, httpStatus: response?.status(), finalUrl: page.url() };
  } catch (e) {
    if (request.signal?.aborted) throw new CaptureError(`stopped while ${doing}`);
    throw new CaptureError(explain(e as Error, doing, request, Date.now() - started));
  } finally {
    request.signal?.removeEventListener('abort', abort);
    await closeQuietly(context);
  }
}

async function photograph(page: Page, request: CaptureRequest, timeoutMs: number): Promise<Buffer> {
  const mask = request.mask ? [page.locator(request.mask)] : undefined;
  const common = { timeout: timeoutMs, mask, animations: 'disabled' as const, caret: 'hide' as const, type: 'png' as const };
  if (!request.selector) return page.screenshot({ ...common, fullPage: request.fullPage });
  const element = page.locator(request.selector);
  await element.first().waitFor({ state: 'visible', timeout: timeoutMs });
  const count = await element.count();
  if (count > 1) throw new CaptureError(`selector=${request.selector} matches ${count} elements; make it match exactly one`);
  return element.screenshot(common);
}

/** Playwright's messages carry call logs; keep the first line and say what we were doing. */
function explain(error: Error, doing: string, request: CaptureRequest, elapsedMs: number): string {
  if (error instanceof CaptureError) return error.message;
  const first = error.message.split('\n')[0].replace(/^[a-zA-Z.]+: /, '');
  if (error.name === 'TimeoutError') {
    const awaited = /- (waiting for .*)/.exec(error.message)?.[1];
    return `timed out after ${formatDuration(elapsedMs)} ${doing} (${request.url})${awaited ? `: ${awaited}` : ''}`;
  }
  if (/net::ERR_/.test(first)) return `could not load ${request.url}: ${first.replace(/ at https?:.*$/, '')}; is the service reachable from this machine?`;
  return `${doing}: ${first}`;
}

async function closeQuietly(context: BrowserContext): Promise<void> {
  await context.close().catch(() => {});
}
