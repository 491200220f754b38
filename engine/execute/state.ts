// Saved session state for `--from`: before each step runs, the state it will start from (the
// variables, functions and directory the steps before it left) is written to
// .runbook/state/<runbook>/<step-id>.sh. Variables that are unchanged from the environment the
// run started with are left out, so credentials from the user's environment never land on disk.
import { mkdirSync, readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';

export class StateStore {
  readonly dir: string;
  private baseline = new Set<string>();

  constructor(workdir: string, runbookPath: string) {
    const tag = `${basename(runbookPath).replace(/[^A-Za-z0-9._-]/g, '_')}-${createHash('sha1').update(runbookPath).digest('hex').slice(0, 8)}`;
    this.dir = join(workdir, '.runbook', 'state', tag);
  }

  /** Lines of the state the run started with; later saves leave these out. */
  setBaseline(stateText: string): void {
    this.baseline = new Set(stateText.split('\n'));
  }

  save(stepId: string, stateText: string): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const lines = stateText.split('\n').filter((l) => !this.baseline.has(l) || l.startsWith('cd -- '));
    const file = this.fileFor(stepId);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, lines.join('\n'), { mode: 0o600 });
    renameSync(tmp, file);
  }

  load(stepId: string): string | undefined {
    const file = this.fileFor(stepId);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  private fileFor(stepId: string): string {
    return join(this.dir, `${stepId.replace(/[^A-Za-z0-9._-]/g, '_')}.sh`);
  }
}
