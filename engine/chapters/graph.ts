// The chapters of a runbook and what each needs before it (`needs:` in chapter front matter).
// A chapter is named by its file name without extension (`04-request-routing`). The graph must
// name only existing chapters, have no cycle, and need only chapters that come earlier, since
// the whole runbook runs its chapters in file order and a shard keeps that order.
import { basename, extname } from 'node:path';
import type { Position, Runbook, SourceFile } from '../model.ts';
import { RunbookError, RunbookErrors } from '../errors.ts';
import { closest } from '../read/annotations.ts';

export interface Chapter {
  name: string;
  file: string; // relative to the runbook root
  index: number; // position in run order
  needs: string[];
  source: SourceFile;
}

export function chapterName(relPath: string): string {
  return basename(relPath, extname(relPath));
}

export function chaptersOf(runbook: Runbook): Chapter[] {
  return runbook.files.map((source, index) => ({ name: chapterName(source.relPath), file: source.relPath, index, needs: source.chapter.needs, source }));
}

function needPosition(chapter: Chapter, i: number): Position {
  return chapter.source.chapter.needsAt?.[i] ?? chapter.source.chapter.source ?? { file: chapter.file, line: 1 };
}

/** Every problem of the graph, each at the `needs:` entry that causes it. */
export function graphProblems(chapters: Chapter[]): RunbookError[] {
  const byName = new Map(chapters.map((c) => [c.name, c]));
  const names = chapters.map((c) => c.name);
  const errors: RunbookError[] = [];
  for (const chapter of chapters) {
    chapter.needs.forEach((need, i) => {
      const at = needPosition(chapter, i);
      const needed = byName.get(need);
      if (!needed) {
        const near = closest(need, names);
        errors.push(new RunbookError(`needs "${need}": no chapter has that name`, at, undefined, `${near ? `Did you mean "${near}"? ` : ''}Chapters are named by file name without extension: ${names.join(', ')}.`));
      } else if (needed === chapter) {
        errors.push(new RunbookError(`chapter ${chapter.name} needs itself`, at, undefined, 'Remove it from its own needs:.'));
      }
    });
  }
  const cycles = findCycles(chapters, byName);
  for (const cycle of cycles) {
    const [first, second] = cycle;
    const i = first.needs.indexOf(second.name);
    errors.push(
      new RunbookError(
        `needs form a cycle: ${[...cycle, first].map((c) => c.name).join(' → ')}`,
        needPosition(first, i),
        undefined,
        'A chapter can only need chapters that run before it; remove one of these needs.',
      ),
    );
  }
  const inCycle = new Set(cycles.flat());
  for (const chapter of chapters) {
    chapter.needs.forEach((need, i) => {
      const needed = byName.get(need);
      if (!needed || needed === chapter || inCycle.has(chapter)) return;
      if (needed.index > chapter.index) {
        errors.push(
          new RunbookError(
            `needs "${need}", which runs after it`,
            needPosition(chapter, i),
            undefined,
            `Chapters run in file-name order; ${chapter.name} can only need chapters before it (rename the files, or drop the need).`,
          ),
        );
      }
    });
  }
  return errors;
}

/** Each cycle once (self-needs are reported on their own), found by depth-first search. */
function findCycles(chapters: Chapter[], byName: Map<string, Chapter>): Chapter[][] {
  const state = new Map<Chapter, 'open' | 'done'>();
  const cycles: Chapter[][] = [];
  const path: Chapter[] = [];
  const visit = (c: Chapter) => {
    state.set(c, 'open');
    path.push(c);
    for (const need of c.needs) {
      const next = byName.get(need);
      if (!next || next === c) continue;
      if (state.get(next) === 'open') cycles.push(path.slice(path.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(c, 'done');
  };
  for (const c of chapters) if (!state.has(c)) visit(c);
  return cycles;
}

/** Throws every problem of the graph at once (exit 2), for commands that rely on it. */
export function assertGraph(chapters: Chapter[]): void {
  const errors = graphProblems(chapters);
  if (errors.length) throw new RunbookErrors(errors);
}

/** The chapters that `names` need, directly or through others (not `names` themselves unless needed). */
export function requiredChapters(chapters: Chapter[], names: Iterable<string>): Set<string> {
  const byName = new Map(chapters.map((c) => [c.name, c]));
  const out = new Set<string>();
  const stack = [...names].flatMap((n) => byName.get(n)?.needs ?? []);
  while (stack.length) {
    const name = stack.pop()!;
    if (out.has(name) || !byName.has(name)) continue;
    out.add(name);
    stack.push(...byName.get(name)!.needs);
  }
  return out;
}
