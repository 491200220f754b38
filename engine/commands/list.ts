// `runbook list`: the steps in order with id, kind, file:line and target; with --json also the
// chapter graph (what each chapter needs, directly and through others, and what needs it).
import { EXIT } from '../errors.ts';
import { chapterName, chaptersOf, requiredChapters } from '../chapters/graph.ts';
import { load } from './load.ts';

export async function listCommand(path: string | undefined, options: { json?: boolean; allowEmpty?: boolean }): Promise<number> {
  const runbook = load(path, options);
  const rows = runbook.steps.map((s) => ({
    id: s.id,
    kind: s.type === 'directive' ? `${s.verb}${s.args[0] ? ' ' + s.args[0] : ''}` : s.kind,
    file: s.position.file,
    line: s.position.line,
    chapter: chapterName(s.position.file),
    targets: s.targets,
    tags: s.tags,
    section: s.section.join(' › '),
  }));
  if (options.json) {
    const chapters = chaptersOf(runbook);
    const graph = chapters.map((c) => ({
      name: c.name,
      file: c.file,
      needs: c.needs,
      requires: chapters.filter((o) => requiredChapters(chapters, [c.name]).has(o.name)).map((o) => o.name),
      neededBy: chapters.filter((o) => o.needs.includes(c.name)).map((o) => o.name),
      steps: c.source.steps.length,
    }));
    process.stdout.write(JSON.stringify({ steps: rows, chapters: graph }, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const r of rows) {
    process.stdout.write(`${r.id.padEnd(44)} ${r.kind.padEnd(14)} ${`${r.file}:${r.line}`.padEnd(36)} ${r.targets.join(',') || 'all'}\n`);
  }
  return EXIT.ok;
}
