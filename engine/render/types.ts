// What every part of the renderer shares while one README is produced.
import type { Runbook, SourceFile, Step } from '../model.ts';
import type { ChapterIds, IdRegistry } from './headings.ts';
import type { GeneratedParts } from './parts.ts';

export interface RenderEnv {
  runbook: Runbook;
  /** Directory of the AsciiDoc output: image and link paths are written relative to it. */
  outDir: string;
  /** Directory relative screenshot files resolve against (a run's working directory). */
  cwd: string;
  registry: IdRegistry;
  /** Heading ids of each Markdown chapter, by absolute path, for links between chapters. */
  chapterIds: Map<string, ChapterIds>;
  /** Local images the document shows: path as written (relative to outDir) → the file (copied into the HTML site). */
  images: Map<string, string>;
  /**
   * For the HTML site: images outside outDir get a path inside it (`../images/a.png` →
   * `_parent/images/a.png`), where the site keeps a copy, so no image points out of the site.
   */
  sitePaths?: boolean;
  /** A passing run has recorded captured outputs (`_readme/captured.json`): output blocks are real. */
  captured: boolean;
  /** Generated parts (provenance, variables) that chapters may place with a marker. */
  parts: GeneratedParts;
}

export interface ChapterContext extends RenderEnv {
  file: SourceFile;
  ids?: ChapterIds;
  /** Steps of this file by the line of their fence/attribute line or directive. */
  stepsByLine: Map<number, Step>;
  /** Lines of output/expect-output blocks: rendered with their step, not where they stand. */
  outputLines: Set<number>;
}

export function chapterContext(env: RenderEnv, file: SourceFile): ChapterContext {
  const stepsByLine = new Map<number, Step>();
  const outputLines = new Set<number>();
  for (const step of file.steps) {
    stepsByLine.set(step.position.line, step);
    for (const block of [step.output, step.expect]) if (block) outputLines.add(block.position.line);
  }
  return { ...env, file, ids: env.chapterIds.get(file.path), stepsByLine, outputLines };
}
