// `runbook check`: everything that can be known without running — syntax, annotations,
// references, shell lint, feature checks — and the list of outputs still TODO.
import { EXIT } from '../errors.ts';
import { OFFLINE_CHECKS } from '../check/index.ts';
import { findTodos } from '../check/todos.ts';
import { chaptersWithoutSources, sourceListing } from '../check/chapters.ts';
import { load } from './load.ts';

export async function checkCommand(path: string | undefined, options: { workdir?: string; allowEmpty?: boolean }): Promise<number> {
  const runbook = load(path, options);
  const workdir = options.workdir ?? process.cwd();
  const errors = [];
  const warnings: string[] = [];
  // The checks run side by side (shellcheck in child processes beside the manifest check);
  // their findings are shown in the order the checks are listed.
  for (const found of await Promise.all(OFFLINE_CHECKS.map((check) => check(runbook, workdir)))) {
    errors.push(...found.errors);
    warnings.push(...found.warnings);
  }
  const todos = findTodos(runbook);
  const out = process.stdout;
  out.write(`${runbook.files.length} file${runbook.files.length === 1 ? '' : 's'}, ${runbook.steps.length} steps\n`);
  const sources = sourceListing(runbook);
  if (sources.length) out.write(`upstream sources the chapters follow (compare them when the upstream release changes):\n${sources.join('\n')}\n`);
  for (const file of chaptersWithoutSources(runbook)) warnings.push(`${file} names no upstream sources (sources: in its front matter)`);
  for (const w of warnings) out.write(`warning: ${w}\n`);
  if (todos.length) {
    out.write(`${todos.length} output block${todos.length === 1 ? '' : 's'} still TODO (filled by: runbook run --write):\n`);
    for (const t of todos) out.write(`  ${t.file}:${t.line}  ${t.kind} of ${t.stepId}\n`);
  }
  for (const e of errors) process.stderr.write(`${e.format()}\n`);
  if (errors.length) {
    process.stderr.write(`check failed: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
    return EXIT.usage;
  }
  out.write('check passed\n');
  return EXIT.ok;
}
