// Local files a step refers to must exist: `$RUNBOOK_ROOT/…` paths, `-f relative/path.yaml`
// arguments, and cwd= directories. Paths built from other variables are left to the run, and
// here-document bodies are text a command reads (a file the step writes), not its commands.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Runbook } from '../model.ts';
import { RunbookError } from '../errors.ts';
import type { CheckFindings } from './types.ts';
import { escapeRegExp } from '../regexp-escape.ts';

const ROOT_PATH = /\$\{?RUNBOOK_ROOT\}?(\/[^\s"'`;|&)<>]*)/g;
const FILE_FLAG = /(?:^|\s)(?:-f|--filename|--from-file|--config)[ =]([^\s"'`;|&)<>$]+)/g;

export function checkReferences(runbook: Runbook, workdir: string): CheckFindings {
  const errors: RunbookError[] = [];
  for (const step of runbook.steps) {
    if (step.kind === 'skip') continue;
    const where = step.position;
    const missing = (path: string, shown: string) => {
      if (!existsSync(path)) errors.push(new RunbookError(`step ${step.id} refers to ${shown}, which does not exist`, where, undefined, `Create it or fix the path (resolved to ${path}).`));
    };
    if (step.cwd) missing(resolve(runbook.root, step.cwd), `cwd=${step.cwd}`);
    if (step.type !== 'command') continue;
    const commands = withoutHeredocBodies(step.code);
    for (const m of commands.matchAll(ROOT_PATH)) {
      const rel = m[1].replace(/[.,:]+$/, '');
      if (rel.includes('$') || rel.includes('*')) continue;
      missing(resolve(runbook.root, '.' + rel), m[0]);
    }
    for (const m of commands.matchAll(FILE_FLAG)) {
      const p = m[1];
      if (p === '-' || /^[a-z]+:\/\//.test(p) || p.includes('*') || p.startsWith('/dev/')) continue;
      if (!/\.(ya?ml|json)$/.test(p)) continue;
      // Relative paths are relative to where the run starts; files made by earlier steps are fine.
      if (producedEarlier(runbook, step, p)) continue;
      missing(resolve(workdir, p), p);
    }
  }
  return { errors, warnings: [] };
}

/** A file name that an earlier step writes (cat > x.yaml, -o x.yaml, tee x.yaml) is not a missing reference. */
function producedEarlier(runbook: Runbook, step: Runbook['steps'][number], path: string): boolean {
  const name = path.split('/').pop()!;
  for (const s of runbook.steps) {
    if (s === step) break;
    if (s.type === 'command' && s.code.includes(name)) return true;
  }
  return step.type === 'command' && new RegExp(`(>|tee\\s+|-o\\s+)\\s*\\S*${escapeRegExp(name)}`).test(step.code);
}

// `<<WORD`, `<<-WORD`, `<<'WORD'`, `<<\WORD`, `<<E"OF"`; not `<<<` (a here-string).
const HEREDOC = /(?<!<)<<(?!<)(-?)[ \t]*([^\s;&|<>()]+)/g;

/**
 * The code with the lines of here-document bodies left out. Line by line, as bash reads them: the
 * bodies of a line's `<<WORD` operators follow it, each up to a line that is exactly WORD (quotes
 * and backslashes removed; `<<-`: after leading tabs; `WORD)` too, which bash takes inside `$(…)`).
 * A `<<` inside `((…))` is a shift, and one whose WORD never comes is left alone: wherever this
 * reading could be wrong, it keeps lines rather than dropping them.
 */
export function withoutHeredocBodies(code: string): string {
  const lines = code.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    kept.push(lines[i]);
    for (const m of lines[i].matchAll(HEREDOC)) {
      const before = lines[i].slice(0, m.index);
      if ((before.match(/\(\(/g)?.length ?? 0) > (before.match(/\)\)/g)?.length ?? 0)) continue; // arithmetic
      const word = m[2].replace(/["'\\]/g, '');
      const end = bodyEnd(lines, i + 1, word, m[1] === '-');
      if (end >= 0) i = end;
    }
  }
  return kept.join('\n');
}

/** The index of the line that ends a body starting at `from`, or -1 when none does. */
function bodyEnd(lines: string[], from: number, word: string, stripTabs: boolean): number {
  for (let j = from; j < lines.length; j++) {
    const line = stripTabs ? lines[j].replace(/^\t+/, '') : lines[j];
    if (line === word || line.replace(/[ \t]*\)+[ \t]*$/, '') === word) return j;
  }
  return -1;
}
