// Loads a runbook — one Markdown/AsciiDoc file or a directory of chapters — into the model.
// All problems of all files are collected and reported together (exit 2, nothing run).
import { readdirSync, statSync, existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Runbook, Settings, SourceFile, Step } from '../model.ts';
import { RunbookError, RunbookErrors } from '../errors.ts';
import { buildSteps, type RawBlock } from './steps.ts';
import { emptySettings, parseSettings, SETTINGS_KEYS } from './settings.ts';
import { emptyChapterMeta, parseChapterMeta } from './chapter-meta.ts';
import { scanMarkdown } from './markdown.ts';
import { scanAsciidoc } from './asciidoc.ts';
import { readSourceText } from './source-text.ts';

export const SETTINGS_FILE = 'runbook.yaml';
const FORMATS: Record<string, SourceFile['format']> = { '.md': 'markdown', '.markdown': 'markdown', '.adoc': 'asciidoc', '.asciidoc': 'asciidoc' };

interface Scan {
  blocks: RawBlock[];
  frontMatter?: { text: string; firstLine: number };
  bodyStart: number;
  errors?: RunbookError[];
}

export function isRunbookFile(name: string): boolean {
  return extname(name).toLowerCase() in FORMATS;
}

export function loadRunbook(path: string): Runbook {
  const full = resolve(path);
  if (!existsSync(full)) {
    throw new RunbookError(`no runbook at ${path}`, undefined, undefined, 'Give a .md/.adoc file or a directory of chapters (default: runbook/).');
  }
  const isDir = statSync(full).isDirectory();
  const root = isDir ? full : dirname(full);
  const paths = isDir
    ? readdirSync(full)
        .filter((n) => isRunbookFile(n) && !n.startsWith('_') && !n.startsWith('.'))
        .sort()
        .map((n) => join(full, n))
    : [full];
  if (!isDir && !isRunbookFile(full)) {
    throw new RunbookError(`${path} is not a runbook`, undefined, undefined, 'Runbooks are .md or .adoc files, or a directory of them.');
  }
  if (paths.length === 0) throw new RunbookError(`no .md or .adoc chapters in ${path}`);

  const errors: RunbookError[] = [];
  let settings: Settings = emptySettings();
  const settingsFile = join(root, SETTINGS_FILE);
  const files: SourceFile[] = [];

  for (const file of paths) {
    const rel = relative(process.cwd(), file) || basename(file);
    let text: string;
    try {
      text = readSourceText(file, rel);
    } catch (e) {
      errors.push(e instanceof RunbookError ? e : new RunbookError(`cannot read: ${(e as Error).message}`, { file: rel, line: 1 }));
      continue;
    }
    const format = FORMATS[extname(file).toLowerCase()];
    let scan: Scan;
    try {
      scan = format === 'markdown' ? scanMarkdown(text, rel) : scanAsciidoc(text, rel);
    } catch (e) {
      if (e instanceof RunbookError) errors.push(e);
      else errors.push(new RunbookError(`cannot parse: ${(e as Error).message}`, { file: rel, line: 1 }));
      continue;
    }
    errors.push(...(scan.errors ?? []));
    let chapter = emptyChapterMeta();
    if (scan.frontMatter) {
      // A chapter of a directory says only what concerns it (needs, sources, leaves); a single
      // file's front matter holds the runbook's settings beside those keys.
      const settingsFileName = join(relative(process.cwd(), root) || '.', SETTINGS_FILE);
      try {
        if (!isDir) settings = parseSettings(scan.frontMatter.text, rel, scan.frontMatter.firstLine);
        chapter = parseChapterMeta(scan.frontMatter.text, rel, scan.frontMatter.firstLine, settingsFileName, isDir ? [] : SETTINGS_KEYS);
      } catch (e) {
        if (e instanceof RunbookError) errors.push(e);
        else throw e;
      }
    }
    const built = buildSteps(relative(root, file), scan.blocks);
    errors.push(...built.errors);
    files.push({
      path: file,
      relPath: relative(root, file),
      format,
      text,
      eol: text.includes('\r\n') ? '\r\n' : '\n',
      steps: built.steps,
      chapter,
      bodyStart: scan.bodyStart,
    });
  }

  const hasFrontMatterSettings = !isDir && settings.source !== undefined;
  if (!hasFrontMatterSettings && existsSync(settingsFile)) {
    try {
      const settingsName = relative(process.cwd(), settingsFile) || SETTINGS_FILE;
      settings = parseSettings(readSourceText(settingsFile, settingsName).replace(/^\uFEFF/, ''), settingsName);
    } catch (e) {
      if (e instanceof RunbookError) errors.push(e);
      else throw e;
    }
  }

  const steps = files.flatMap((f) => f.steps);
  errors.push(...crossCheck(steps, settings));
  if (errors.length) throw new RunbookErrors(errors);
  return { root, path: full, settings, files, steps };
}

/** Checks that need every file: unique ids, known targets. */
function crossCheck(steps: Step[], settings: Settings): RunbookError[] {
  const errors: RunbookError[] = [];
  const seen = new Map<string, Step>();
  const targetNames = settings.targets.map((t) => t.name);
  for (const step of steps) {
    const prior = seen.get(step.id);
    if (prior) {
      errors.push(new RunbookError(`duplicate step id "${step.id}" (first at ${prior.position.file}:${prior.position.line})`, step.position, undefined, 'Give each step a unique id=.'));
    } else seen.set(step.id, step);
    for (const t of step.targets) {
      if (!targetNames.includes(t)) {
        errors.push(
          new RunbookError(
            `unknown target "${t}"`,
            step.position,
            undefined,
            targetNames.length ? `Targets are: ${targetNames.join(', ')}.` : 'Declare targets in the settings (runbook.yaml or front matter).',
          ),
        );
      }
    }
  }
  return errors;
}
