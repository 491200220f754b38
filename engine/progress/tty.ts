// An in-place status line on a terminal: which step, how long it has run, what it waits for,
// and under it the last few lines the step printed (redacted), replaced as they come.
import { stepCount, stepNote, type Reporter, type RunStartInfo } from './reporter.ts';
import type { Step } from '../model.ts';
import type { RunResult, StepResult } from '../execute/results.ts';
import type { LiveOutput } from '../execute/live-output.ts';
import { formatDuration } from '../read/duration.ts';
import { describeFailure } from './failure.ts';
import type { Style } from './style.ts';
import { summarize } from './summary.ts';
import { verboseRest } from './verbose.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Lines of the running step's output shown under the status line. */
export const LIVE_LINES = 5;

export const STATUS_MARKS = { passed: '✔', failed: '✖', skipped: '○', timedout: '⏱', 'not run': '·' } as const;

interface Current {
  step: Step;
  label: string;
  started: number;
  detail: string;
  live?: LiveOutput;
  tail: string[];
  printed: number; // --verbose: lines printed so far
}

export class TtyReporter implements Reporter {
  private current?: Current;
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private drawnBelow = 0; // output lines drawn under the status line

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly style: Style,
    /** --verbose: every output line is printed for good (scrolling), not only the last few. */
    private readonly verbose = false,
  ) {}

  runStart(info: RunStartInfo): void {
    this.stream.write(this.style.bold(`${info.title ?? 'runbook'}`) + this.style.dim(`${info.target ? ` · target ${info.target}` : ''} · ${stepCount(info)}`) + '\n');
  }

  stepStart(step: Step, index: number, total: number, phase: 'main' | 'cleanup'): void {
    const label = phase === 'cleanup' ? 'cleanup' : `${index + 1}/${total}`;
    this.current = { step, label, started: Date.now(), detail: '', tail: [], printed: 0 };
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 120);
    this.timer.unref();
  }

  stepStatus(step: Step, detail: string): void {
    if (this.current?.step === step) this.current.detail = detail;
  }

  stepOutput(step: Step, output: LiveOutput): void {
    if (this.current?.step === step) this.current.live = output;
  }

  stepEnd(r: StepResult): void {
    if (this.verbose && this.current?.step === r.step) this.printRest(r);
    this.current?.live?.close();
    this.clear();
    const mark = r.status === 'passed' ? this.style.green(STATUS_MARKS.passed) : r.status === 'failed' || r.status === 'timedout' ? this.style.red(STATUS_MARKS[r.status]) : this.style.dim(STATUS_MARKS[r.status]);
    const label = this.current?.step === r.step ? this.current.label : r.phase === 'cleanup' ? 'cleanup' : '';
    const attempts = r.attempts > 1 ? `, ${r.attempts} attempts` : '';
    const note = stepNote(r);
    this.stream.write(`${mark} ${this.style.dim(`[${label}]`)} ${r.step.id} ${this.style.dim(`${formatDuration(r.durationMs)}${attempts}`)}${note ? this.style.dim(` — ${note}`) : ''}\n`);
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

  pause(): void {
    this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  /** --verbose: the lines the step printed that were not shown live (the last ones, or all of a quick step). */
  private printRest(r: StepResult): void {
    this.readLive(true);
    const rest = verboseRest(r, this.current?.printed ?? 0);
    if (rest.length) this.clear();
    for (const line of rest) this.stream.write(`${this.style.dim(`${r.step.id} |`)} ${line}\n`);
  }

  private readLive(final = false): void {
    const c = this.current;
    if (!c?.live) return;
    const fresh = c.live.next(final);
    if (!fresh.length) return;
    if (this.verbose) {
      this.clear();
      for (const line of fresh) this.stream.write(`${this.style.dim(`${c.step.id} |`)} ${line}\n`);
      c.printed += fresh.length;
    } else {
      c.tail = [...c.tail, ...fresh].slice(-LIVE_LINES);
    }
  }

  private draw(): void {
    if (!this.current) return;
    this.readLive();
    const c = this.current;
    const width = (this.stream.columns || 100) - 1;
    const fit = (text: string) => (text.length > width ? text.slice(0, width - 1) + '…' : text);
    const elapsed = formatDuration(Date.now() - c.started);
    const line = `${FRAMES[this.frame++ % FRAMES.length]} [${c.label}] ${c.step.id} ${elapsed}${c.detail ? ` · ${c.detail}` : ''}`;
    const room = Math.max(0, Math.min(LIVE_LINES, (this.stream.rows || 24) - 3));
    const below = this.verbose ? [] : c.tail.slice(-room);
    let text = `\r\x1b[2K${fit(line)}`;
    for (const out of below) text += `\n\x1b[2K${this.style.dim(fit(`  ${out.replace(/\t/g, '  ').replace(/[\x00-\x1f\x7f]/g, '')}`))}`;
    // Lines drawn before and not now: erased, so a shorter tail leaves nothing behind.
    if (this.drawnBelow > below.length) text += '\x1b[J';
    if (below.length) text += `\x1b[${below.length}A\r`;
    this.drawnBelow = below.length;
    this.stream.write(text);
  }

  private clear(): void {
    this.stream.write(this.drawnBelow ? '\r\x1b[J' : '\r\x1b[2K');
    this.drawnBelow = 0;
  }
}
