// Saved session state for `--from`: for each step, the state it started from (the variables,
// functions and directory the steps before it left). Recorded in memory while the run goes and
// written once at its end (failure and Ctrl-C included) to .runbook/state/<runbook>/: one file
// per distinct state plus an index, so a 1,000-step run does not write 1,000 files.
// Variables unchanged from the environment the run started with are left out, so credentials
// from the user's environment never land on disk.
import { mkdirSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../write/atomic-write.ts';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';

export class StateStore {
  readonly dir: string;
  private baseline = new Set<string>();
  private readonly recorded = new Map<string, string>(); // step id -> state text

  /** State lives with the runbook (in its directory's .runbook/), whatever directory runs it. */
  constructor(runbookRoot: string, runbookPath: string) {
    const tag = `${basename(runbookPath).replace(/[^A-Za-z0-9._-]/g, '_')}-${createHash('sha1').update(runbookPath).digest('hex').slice(0, 8)}`;
    this.dir = join(runbookRoot, '.runbook', 'state', tag);
  }

  /** Lines of the state the run started with; saved states leave these out. */
  setBaseline(stateText: string): void {
    this.baseline = new Set(stateText.split('\n'));
  }

  record(stepId: string, stateText: string): void {
    this.recorded.set(stepId, stateText);
  }

  /** Writes what this run recorded, merged over what earlier runs saved for other steps. */
  flush(): void {
    if (this.recorded.size === 0) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const index = this.readIndex();
    const written = new Map<string, string>(); // text -> file
    for (const [stepId, text] of this.recorded) {
      let file = written.get(text);
      if (!file) {
        file = `state-${createHash('sha1').update(text).digest('hex').slice(0, 16)}.sh`;
        const lines = text.split('\n').filter((l) => !this.baseline.has(l) || l.startsWith('cd -- '));
        writeFileAtomic(join(this.dir, file), lines.join('\n'), { mode: 0o600 });
        written.set(text, file);
      }
      index[stepId] = file;
    }
    writeFileAtomic(join(this.dir, 'index.json'), JSON.stringify(index, null, 1), { mode: 0o600 });
    // Drop state files no step points at any more.
    const live = new Set(Object.values(index));
    for (const file of readdirSync(this.dir)) {
      if (file.startsWith('state-') && !live.has(file)) rmSync(join(this.dir, file), { force: true });
    }
    this.recorded.clear();
  }

  load(stepId: string): string | undefined {
    const file = this.readIndex()[stepId];
    return file && existsSync(join(this.dir, file)) ? readFileSync(join(this.dir, file), 'utf8') : undefined;
  }

  private readIndex(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(join(this.dir, 'index.json'), 'utf8'));
    } catch {
      return {};
    }
  }
}
