// `runbook list`: the steps in order with id, kind, file:line and target.
import { EXIT } from '../errors.ts';
import { load } from './load.ts';

export async function listCommand(path: string | undefined, options: { json?: boolean }): Promise<number> {
  const runbook = load(path);
  const rows = runbook.steps.map((s) => ({
    id: s.id,
    kind: s.type === 'directive' ? `${s.verb}${s.args[0] ? ' ' + s.args[0] : ''}` : s.kind,
    file: s.position.file,
    line: s.position.line,
    targets: s.targets,
    tags: s.tags,
    section: s.section.join(' › '),
  }));
  if (options.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const r of rows) {
    process.stdout.write(`${r.id.padEnd(44)} ${r.kind.padEnd(14)} ${`${r.file}:${r.line}`.padEnd(36)} ${r.targets.join(',') || 'all'}\n`);
  }
  return EXIT.ok;
}
