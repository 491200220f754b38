// `runbook: screenshot url=URL file=images/NAME.png …` (contract §3): photographs a page with the
// system's Chromium and keeps the file stable: a new capture replaces the file only when more
// than `threshold` of its pixels changed, and then leaves a diff image for the report.
//
// Paths: `file` is relative to the session's working directory when the step starts (the project
// root in normal use, as for any command step); diff images go to `.runbook/screenshots/` under
// the directory runbook was started in (or `screenshot.diff-dir`).
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { expandVars } from './expand.ts';
import { sharedBrowser } from '../browser/launch.ts';
import { capture, CaptureError, type CaptureRequest } from '../browser/capture.ts';
import { parseActions } from '../browser/actions.ts';
import { compareScreenshots, pngSize } from '../browser/drift.ts';
import { parseThreshold, parseViewport, screenshotSettings, type ScreenshotSettings } from '../browser/settings.ts';
import { writeFileAtomic } from '../browser/write-file-atomic.ts';

/** What a screenshot step reports in `data.screenshot` (read by the HTML report). */
export interface ScreenshotFacts {
  url: string;
  file: string; // as written in the step
  path: string; // absolute
  width: number;
  height: number;
  httpStatus?: number;
  outcome: 'created' | 'kept' | 'replaced';
  changedPixels?: number;
  ratio?: number;
  threshold: number;
  oldSize?: { width: number; height: number };
  diffImage?: string; // absolute path of the diff PNG
  /** SHA-256 of the file that was there before this capture (write --from-report checks it is still there). */
  previousSha256?: string;
}

const percent = (ratio: number) => `${+(ratio * 100).toFixed(3)}%`;

export const handler: DirectiveHandler = {
  async run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
    const startedAt = Date.now();
    const plan = planCapture(ctx);
    if (typeof plan === 'string') return { ok: false, message: plan };
    const deadline = pageDeadline(ctx, plan.settings, startedAt);

    ctx.progress('starting the browser');
    let browser;
    try {
      browser = await sharedBrowser(ctx);
    } catch (e) {
      return { ok: false, message: (e as Error).message }; // says how to install one, or what failed
    }
    let shot;
    try {
      shot = await capture(browser, { ...plan.request, timeoutMs: Math.max(1, deadline() - Date.now()), signal: ctx.signal, progress: ctx.progress });
    } catch (e) {
      if (e instanceof CaptureError) return { ok: false, message: e.message };
      throw e;
    }
    if (shot.httpStatus && shot.httpStatus >= 400) ctx.log(`note: ${ctx.attrs.url} answered HTTP ${shot.httpStatus}`);
    return { ok: true, data: { screenshot: keepOrReplace(ctx, shot.png, shot.httpStatus, plan.settings, plan.threshold) } };
  },
};

/** Everything the capture needs, checked; or what is wrong with the step, in one sentence. */
function planCapture(ctx: DirectiveContext): { settings: ScreenshotSettings; threshold: number; request: Omit<CaptureRequest, 'timeoutMs'> } | string {
  const { attrs } = ctx;
  let settings: ScreenshotSettings;
  try {
    settings = screenshotSettings(ctx.runbook.settings.extra.screenshot);
  } catch (e) {
    const where = ctx.runbook.settings.source;
    return `${where ? `${where.file}:${where.line}: ` : ''}${(e as Error).message}`;
  }
  const threshold = attrs.threshold !== undefined ? parseThreshold(attrs.threshold) : settings.threshold;
  if (threshold === undefined) return `bad threshold=${attrs.threshold}: use a percentage such as 0.1% or a fraction such as 0.001`;
  const viewport = attrs.viewport ? parseViewport(attrs.viewport) : settings.viewport;
  if (!viewport) return `bad viewport=${attrs.viewport}: use WIDTHxHEIGHT such as 1280x800`;
  const scale = attrs.scale !== undefined ? Number(attrs.scale) : settings.scale;
  if (!(scale > 0)) return `bad scale=${attrs.scale}: use a positive number such as 2`;
  const fullPage = ctx.step.flags.includes('full-page');
  if (attrs.selector && fullPage) return 'use selector= (one element) or full-page (the whole page), not both';
  let actions;
  try {
    actions = parseActions(attrs.actions ?? '');
  } catch (e) {
    return (e as Error).message;
  }
  let login;
  try {
    login = attrs.login ? { user: attrs.login, password: expandVars(settings.login.passwordValue, ctx.env), form: settings.login } : undefined;
  } catch (e) {
    return `screenshot.login.password-value: ${(e as Error).message}`;
  }
  const request = { url: attrs.url, viewport, scale, fullPage, selector: attrs.selector, mask: attrs.mask, waitFor: attrs['wait-for'], login, actions };
  return { settings, threshold, request };
}

/** Writes the capture unless the file on disk differs by no more than the threshold. */
function keepOrReplace(ctx: DirectiveContext, png: Buffer, httpStatus: number | undefined, settings: ScreenshotSettings, threshold: number): ScreenshotFacts {
  const { url, file } = ctx.attrs;
  const path = resolve(ctx.cwd, file);
  const size = pngSize(png);
  const facts: ScreenshotFacts = { url, file, path, ...size, httpStatus, outcome: 'created', threshold };
  if (!existsSync(path)) {
    writeFileAtomic(path, png);
    ctx.log(`captured ${url} (${size.width}x${size.height}) into ${file}: new file`);
    return facts;
  }
  const previous = readFileSync(path);
  const drift = compareScreenshots(previous, png);
  Object.assign(facts, { changedPixels: drift.changedPixels, ratio: drift.ratio, oldSize: drift.oldSize, previousSha256: createHash('sha256').update(previous).digest('hex') });
  if (drift.sameSize && drift.ratio <= threshold) {
    ctx.log(`captured ${url}: ${percent(drift.ratio)} of pixels changed (threshold ${percent(threshold)}); kept ${file}`);
    return { ...facts, outcome: 'kept' };
  }
  facts.outcome = 'replaced';
  if (drift.diffPng) {
    facts.diffImage = resolve(settings.diffDir, diffName(relative(ctx.cwd, path)));
    writeFileAtomic(facts.diffImage, drift.diffPng());
  }
  writeFileAtomic(path, png);
  const was = drift.oldSize ? `${drift.oldSize.width}x${drift.oldSize.height}` : 'an unreadable file';
  const why = drift.sameSize ? `${percent(drift.ratio)} of pixels changed` : `size changed from ${was} to ${size.width}x${size.height}`;
  ctx.log(`captured ${url}: ${why} (threshold ${percent(threshold)}); replaced ${file}${facts.diffImage ? `; diff in ${relative(process.cwd(), facts.diffImage)}` : ''}`);
  return facts;
}

/**
 * When the page work must be done. With timeout= on the step: a little before the step's own
 * deadline, so our message (what was awaited) arrives before the executor's generic one.
 * Without: screenshot.timeout (30s) once the browser is up, so a first launch does not count.
 */
function pageDeadline(ctx: DirectiveContext, settings: ScreenshotSettings, startedAt: number): () => number {
  if (ctx.step.timeoutMs === undefined) return () => Date.now() + Math.min(settings.timeoutMs, ctx.timeoutMs);
  const fixed = startedAt + ctx.timeoutMs - Math.min(500, ctx.timeoutMs * 0.1);
  return () => fixed;
}

/** `images/productpage.png` → `images_productpage.diff.png`: one flat directory, no collisions. */
function diffName(relPath: string): string {
  const stem = relPath.replace(/^(\.\.[\\/])+/, '').replace(/\.png$/i, '');
  return `${stem.replace(/[^A-Za-z0-9._-]+/g, '_')}.diff.png`;
}
