// `runbook init [DIR]`: writes the scaffold (init-scaffold.ts) into a new or empty directory and
// says what to do next. It never overwrites anything: a directory that already holds files is
// refused (exit 2) before a byte is written, and each file is created exclusively (flag wx), so
// not even a file that appears meanwhile is replaced.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_RUNBOOK_PATH } from '../model.ts';
import { EXIT, RunbookError } from '../errors.ts';
import { INSTALL_ROOT } from '../install-root.ts';
import { SCAFFOLD } from './init-scaffold.ts';

export async function initCommand(dir: string | undefined): Promise<number> {
  const target = resolve(dir ?? DEFAULT_RUNBOOK_PATH);
  const shown = relative(process.cwd(), target) || '.';
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) {
      throw new RunbookError(`${shown} is a file, not a directory; nothing was written`, undefined, undefined, 'Give a new directory: runbook init DIR');
    }
    // Hidden entries (.git, .runbook) do not make a directory a runbook; anything else would.
    const present = readdirSync(target).filter((name) => !name.startsWith('.')).sort();
    if (present.length) {
      const clash = Object.keys(SCAFFOLD).find((name) => present.includes(name));
      const named = join(shown, clash ?? present[0]);
      throw new RunbookError(
        clash ? `${named} already exists; nothing was written` : `${shown} is not empty (it holds ${named}); nothing was written`,
        undefined,
        undefined,
        'runbook init never overwrites files: give a new or empty directory, e.g. runbook init my-runbook',
      );
    }
  }
  mkdirSync(target, { recursive: true });
  const written: string[] = [];
  for (const [name, { text }] of Object.entries(SCAFFOLD)) {
    writeFileSync(join(target, name), text, { flag: 'wx' });
    written.push(name);
  }

  const path = shown === relative(process.cwd(), resolve(DEFAULT_RUNBOOK_PATH)) ? '' : ` ${shown}`;
  const table = (rows: [string, string][]) => {
    const width = Math.max(...rows.map(([left]) => left.length)) + 2;
    return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
  };
  const lines = [
    `created a runbook in ${shown}/:`,
    ...table(written.map((name) => [join(shown, name), SCAFFOLD[name].what])),
    '',
    'Next:',
    ...table([
      [`runbook run${path}`, 'run it (it passes as it is; no cluster needed)'],
      [`runbook run${path} --write`, 'capture what the steps print into their output blocks'],
      [`runbook render${path}`, 'render it into README.adoc and an HTML site in site/'],
    ]),
    `Then edit ${join(shown, '01-first-steps.md')}, or add chapters beside it (they run in file-name order).`,
    `Reference: ${join(INSTALL_ROOT, 'docs', 'README.adoc')}`,
    `Settings schema for editors: ${join(INSTALL_ROOT, 'schemas', 'settings.schema.json')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}
