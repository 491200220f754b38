// The upstream pages each chapter follows (`sources:` in its front matter), listed by
// `runbook check`, so whoever prepares the tutorial for a new upstream release knows what to
// compare. (`needs:` is checked by needs.ts.)
import { relative } from 'node:path';
import type { Runbook, SourceFile } from '../model.ts';

/** The `sources:` of every chapter, as lines for the check report. */
export function sourceListing(runbook: Runbook): string[] {
  const lines: string[] = [];
  for (const file of runbook.files) {
    const sources = file.chapter.sources;
    if (!sources.length) continue;
    lines.push(`  ${shownPath(file)}`);
    for (const s of sources) lines.push(`    ${s.url}${s.release ? ` (checked against ${s.release})` : ''}${s.note ? ` — ${s.note}` : ''}`);
  }
  return lines;
}

/** Chapters that name no sources, when others do: a maintainer would miss their upstream pages. */
export function chaptersWithoutSources(runbook: Runbook): string[] {
  if (!runbook.files.some((f) => f.chapter.sources.length)) return [];
  return runbook.files.filter((f) => !f.chapter.sources.length).map(shownPath);
}

/** The file as positions name it: relative to the directory the command runs in. */
function shownPath(file: SourceFile): string {
  return relative(process.cwd(), file.path) || file.relPath;
}
