// Loading a runbook for a command: problems are printed as file:line lines and end the command
// with exit 2 before anything runs.
import { DEFAULT_RUNBOOK_PATH, type Runbook } from '../model.ts';
import { loadRunbook } from '../read/index.ts';

export function load(path: string | undefined): Runbook {
  return loadRunbook(path ?? DEFAULT_RUNBOOK_PATH);
}
