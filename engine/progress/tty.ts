// An in-place status line on a terminal: which step, how long it has run, what it waits for.
import type { Reporter } from './reporter.ts';
import type { Step } from '../model.ts';
import type { RunResult, StepResult } from '../execute/results.ts';
import { formatDuration } from '../read/duration.ts';
import { describeFailure } from './failure.ts';
import type { Style } from './style.ts';
import { summarize } from './summary.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class TtyReporter implements Reporter {
  private current?: { step: Step; label: string; started: number; detail: string };
  private timer?: NodeJS.Timeout;
  private frame = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly style: Style,
  ) {}

  runStart(info: { title?: string; target?: string; total: number }): void {
    this.stream.write(this.style.bold(`${info.title ?? 'runbook'}`) + this.style.dim(`${info.target ? ` · target ${info.target}` : ''} · ${info.total} steps`) + '\n');
  }

  stepStart(step: Step, index: number, total: number, phase: 'main' | 'cleanup'): void {
    const label = phase === 'cleanup' ? 'cleanup' : `${index + 1}/${total}`;
    this.current = { step, label, started: Date.now(), detail: '' };
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 120);
    this.timer.unref();
  }

  stepStatus(step: Step, detail: string): void {
    if (this.current?.step === step) this.current.detail = detail;
  }

  stepEnd(r: StepResult): void {
    this.clear();
    const mark = { passed: this.style.green('✔'), failed: this.style.red('✖'), skipped: this.style.dim('○'), timedout: this.style.red('⏱') }[r.status];
    const label = this.current?.label ?? '';
    const attempts = r.attempts > 1 ? `, ${r.attempts} attempts` : '';
    this.stream.write(`${mark} ${this.style.dim(`[${label}]`)} ${r.step.id} ${this.style.dim(`${formatDuration(r.durationMs)}${attempts}`)}${r.status === 'skipped' && r.message ? this.style.dim(` — ${r.message}`) : ''}\n`);
    if (r.status === 'failed' || r.status === 'timedout') this.stream.write(describeFailure(r, this.style) + '\n');
    this.current = undefined;
  }

  runEnd(result: RunResult): void {
    this.stop();
    this.stream.write(summarize(result, this.style) + '\n');
  }

  note(text: string): void {
    this.clear();
    this.stream.write(this.style.yellow(`note: ${text}`) + '\n');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private draw(): void {
    if (!this.current) return;
    const c = this.current;
    const elapsed = formatDuration(Date.now() - c.started);
    const line = `${FRAMES[this.frame++ % FRAMES.length]} [${c.label}] ${c.step.id} ${elapsed}${c.detail ? ` · ${c.detail}` : ''}`;
    const width = (this.stream.columns || 100) - 1;
    this.stream.write(`\r\x1b[2K${line.length > width ? line.slice(0, width - 1) + '…' : line}`);
  }

  private clear(): void {
    this.stream.write('\r\x1b[2K');
  }
}
