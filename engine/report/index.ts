// Writes the reports asked for with --report, by file extension.
import { extname } from 'node:path';
import type { RunResult } from '../execute/results.ts';
import { RunbookError } from '../errors.ts';
import { writeFileAtomic, WriteError } from '../write/atomic-write.ts';
import { toJsonReport, type ReportExtras } from './json.ts';
import { toJunitReport } from './junit.ts';
import { toHtmlReport } from './html.ts';

type Writer = (result: RunResult, extras: ReportExtras) => Promise<string> | string;

export const REPORT_WRITERS: Record<string, Writer> = {
  '.json': (result, extras) => JSON.stringify(toJsonReport(result, extras), null, 2) + '\n',
  '.xml': (result) => toJunitReport(result),
  '.html': (result, extras) => toHtmlReport(result, extras),
};

export function checkReportPaths(paths: string[]): void {
  for (const p of paths) {
    if (!(extname(p).toLowerCase() in REPORT_WRITERS)) {
      throw new RunbookError(`--report ${p}: unknown report type`, undefined, undefined, `Use a file ending in ${Object.keys(REPORT_WRITERS).join(', ')}.`);
    }
  }
}

/** Writes every report it can; those that cannot be written (full disk, no permission) are one WriteError. */
export async function writeReports(paths: string[], result: RunResult, extras: ReportExtras): Promise<void> {
  const failed: string[] = [];
  for (const p of paths) {
    const text = await REPORT_WRITERS[extname(p).toLowerCase()](result, { ...extras, reportPath: p });
    try {
      writeFileAtomic(p, text);
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      failed.push(e.message);
    }
  }
  if (failed.length) throw new WriteError(failed.join('\nrunbook: '));
}
