// `runbook: screenshot url=URL file=images/NAME.png …` (contract §3): photographs a page with the
// system's Chromium and keeps the file stable: a new capture replaces the file only when more
// than `threshold` of its pixels changed, and then leaves a diff image for the report.
//
// Paths: `file` is relative to the session's working directory when the step starts (the project
// root in normal use, as for any command step); diff images go to `.runbook/screenshots/` under
// the directory runbook was started in (or `screenshot.diff-dir`).
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from './types.ts';
import { expandVars } from './expand.ts';
import { sharedBrowser } from '../browser/launch.ts';
import { BrowserMissingError } from '../browser/find-chromium.ts';
import { capture, CaptureError } from '../browser/capture.ts';
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
}

const percent = (ratio: number) => `${+(ratio * 100).toFixed(3)}%`;

export const handler: DirectiveHandler = {
  async run(ctx: DirectiveContext): Promise<DirectiveOutcome> {
    const { attrs } = ctx;
    const startedAt = Date.now();
    let settings: ScreenshotSettings;
    try {
      settings = screenshotSettings(ctx.runbook.settings.extra.screenshot);
    } catch (e) {
      const where = ctx.runbook.settings.source;
      return { ok: false, message: `${where ? `${where.file}:${where.line}: ` : ''}${(e as Error).message}` };
    }
    const threshold = attrs.threshold !== undefined ? parseThreshold(attrs.threshold) : settings.threshold;
    if (threshold === undefined) return { ok: false, message: `bad threshold=${attrs.threshold}: use a percentage such as 0.1% or a fraction such as 0.001` };
    const viewport = attrs.viewport ? parseViewport(attrs.viewport) : settings.viewport;
    if (!viewport) return { ok: false, message: `bad viewport=${attrs.viewport}: use WIDTHxHEIGHT such as 1280x800` };
    const scale = attrs.scale !== undefined ? Number(attrs.scale) : settings.scale;
    if (!(scale > 0)) return { ok: false, message: `bad scale=${attrs.scale}: use a positive number such as 2` };
    if (attrs.selector && ctx.step.flags.includes('full-page')) return { ok: false, message: 'use selector= (one element) or full-page (the whole page), not both' };
    let actions;
    try {
      actions = parseActions(attrs.actions ?? '');
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const path = resolve(ctx.cwd, attrs.file);
    let login;
    try {
      login = attrs.login ? { user: attrs.login, password: expandVars(settings.login.passwordValue, ctx.env), form: settings.login } : undefined;
    } catch (e) {
      return { ok: false, message: `screenshot.login.password-value: ${(e as Error).message}` };
    }
    const deadline = pageDeadline(ctx, settings, startedAt);

    ctx.progress('starting the browser');
    let browser;
    try {
      browser = await sharedBrowser(ctx);
    } catch (e) {
      if (e instanceof BrowserMissingError) return { ok: false, message: e.message };
      return { ok: false, message: (e as Error).message };
    }
    let shot;
    try {
      shot = await capture(browser, {
        url: attrs.url,
        viewport,
        scale,
        fullPage: ctx.step.flags.includes('full-page'),
        selector: attrs.selector,
        mask: attrs.mask,
        waitFor: attrs['wait-for'],
        login,
        actions,
        timeoutMs: Math.max(1, deadline() - Date.now()),
        signal: ctx.signal,
        progress: ctx.progress,
      });
    } catch (e) {
      if (e instanceof CaptureError) return { ok: false, message: e.message };
      throw e;
    }

    const size = pngSize(shot.png);
    const facts: ScreenshotFacts = { url: attrs.url, file: attrs.file, path, ...size, httpStatus: shot.httpStatus, outcome: 'created', threshold };
    if (shot.httpStatus && shot.httpStatus >= 400) ctx.log(`note: ${attrs.url} answered HTTP ${shot.httpStatus}`);
    if (!existsSync(path)) {
      writeFileAtomic(path, shot.png);
      ctx.log(`captured ${attrs.url} (${size.width}x${size.height}) into ${attrs.file}: new file`);
      return { ok: true, data: { screenshot: facts } };
    }
    const drift = compareScreenshots(readFileSync(path), shot.png);
    Object.assign(facts, { changedPixels: drift.changedPixels, ratio: drift.ratio, oldSize: drift.oldSize });
    if (drift.sameSize && drift.ratio <= threshold) {
      facts.outcome = 'kept';
      ctx.log(`captured ${attrs.url}: ${percent(drift.ratio)} of pixels changed (threshold ${percent(threshold)}); kept ${attrs.file}`);
      return { ok: true, data: { screenshot: facts } };
    }
    facts.outcome = 'replaced';
    if (drift.diffPng) {
      facts.diffImage = resolve(settings.diffDir, diffName(relative(ctx.cwd, path)));
      writeFileAtomic(facts.diffImage, drift.diffPng());
    }
    writeFileAtomic(path, shot.png);
    const why = drift.sameSize ? `${percent(drift.ratio)} of pixels changed` : `size changed from ${drift.oldSize ? `${drift.oldSize.width}x${drift.oldSize.height}` : 'an unreadable file'} to ${size.width}x${size.height}`;
    ctx.log(`captured ${attrs.url}: ${why} (threshold ${percent(threshold)}); replaced ${attrs.file}${facts.diffImage ? `; diff in ${relative(process.cwd(), facts.diffImage)}` : ''}`);
    return { ok: true, data: { screenshot: facts } };
  },
};

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
