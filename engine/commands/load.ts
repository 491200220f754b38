// Loading a runbook for a command: problems are printed as file:line lines and end the command
// with exit 2 before anything runs. A runbook without a single step is refused too (a file whose
// annotations were all lost, or the wrong file, would otherwise "pass"), unless --allow-empty.
import { relative } from 'node:path';
import { DEFAULT_RUNBOOK_PATH, type Runbook } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { loadRunbook } from '../read/index.ts';

export interface LoadOptions {
  /** Accept a runbook with no steps (render and doctor always do). */
  allowEmpty?: boolean;
}

export function load(path: string | undefined, options: LoadOptions = {}): Runbook {
  const runbook = loadRunbook(path ?? DEFAULT_RUNBOOK_PATH);
  if (runbook.steps.length === 0 && !options.allowEmpty) {
    const first = runbook.files[0];
    throw new RunbookError(
      `no steps found in ${relative(process.cwd(), runbook.path) || '.'}`,
      first ? { file: relative(process.cwd(), first.path) || first.relPath, line: 1 } : undefined,
      undefined,
      'Steps are fenced blocks with a kind (```bash run) or <!-- runbook: … --> directives; pass --allow-empty if a runbook without steps is intended.',
    );
  }
  return runbook;
}
