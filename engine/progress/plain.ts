// One plain line per step, for CI logs and pipes.
import type { Reporter } from './reporter.ts';
import type { Step } from '../model.ts';
import type { RunResult, StepResult } from '../execute/results.ts';
import { formatDuration } from '../read/duration.ts';
import { describeFailure } from './failure.ts';
import { makeStyle, type Style } from './style.ts';
import { summarize } from './summary.ts';

export class PlainReporter implements Reporter {
  private index = 0;
  private total = 0;
  constructor(
    private readonly write: (text: string) => void = (t) => process.stdout.write(t),
    private readonly style: Style = makeStyle(false),
  ) {}

  runStart(info: { title?: string; target?: string; total: number }): void {
    this.total = info.total;
    this.write(`runbook: ${info.title ?? 'run'}${info.target ? ` (target ${info.target})` : ''}, ${info.total} step${info.total === 1 ? '' : 's'}\n`);
  }
  stepStart(_step: Step, index: number, _total: number, _phase: 'main' | 'cleanup'): void {
    this.index = index;
  }
  stepStatus(_step: Step, _detail: string): void {
    // CI logs get one line per step; in-progress detail would only add noise.
  }
  stepEnd(r: StepResult): void {
    const word = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', timedout: 'TIME' }[r.status];
    const attempts = r.attempts > 1 ? `, ${r.attempts} attempts` : '';
    const where = `${r.step.position.file}:${r.step.position.line}`;
    const label = r.phase === 'cleanup' ? 'cleanup' : `${this.index + 1}/${this.total}`;
    this.write(`${word} [${label}] ${r.step.id} (${formatDuration(r.durationMs)}${attempts}) ${where}${r.status === 'skipped' && r.message ? ` — ${r.message}` : ''}\n`);
    if (r.status === 'failed' || r.status === 'timedout') this.write(describeFailure(r, this.style) + '\n');
  }
  runEnd(result: RunResult): void {
    this.write(summarize(result, this.style) + '\n');
  }
  note(text: string): void {
    this.write(`note: ${text}\n`);
  }
}
