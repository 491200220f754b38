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

const HEREDOC = /(?<!<)<<(?!<)(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

/**
 * The code with the lines of here-document bodies left out. Line by line, as bash reads them: the
 * bodies of a line's `<<WORD` operators follow it, each up to a line that is exactly WORD
 * (`<<-`: after leading tabs). A `<<` this reading takes for an operator by mistake (inside quotes,
 * `$((1 << 2))`) only means fewer lines are checked.
 */
export function withoutHeredocBodies(code: string): string {
  const lines = code.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    kept.push(lines[i]);
    for (const [, dash, , word] of lines[i].matchAll(HEREDOC)) {
      while (i + 1 < lines.length && (dash ? lines[i + 1].replace(/^\t+/, '') : lines[i + 1]) !== word) i++;
      i++; // the delimiter line
    }
  }
  return kept.join('\n');
}
