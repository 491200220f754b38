// One plain line per step, for CI logs and pipes; with --verbose also every line a step prints,
// as it prints it, prefixed with the step's id.
import { stepCount, stepNote, type Reporter, type RunStartInfo } from './reporter.ts';
import type { Step } from '../model.ts';
import type { RunResult, StepResult } from '../execute/results.ts';
import type { LiveOutput } from '../execute/live-output.ts';
import { formatDuration } from '../read/duration.ts';
import { describeFailure } from './failure.ts';
import { makeStyle, type Style } from './style.ts';
import { summarize } from './summary.ts';
import { verboseRest } from './verbose.ts';

const WORDS = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', timedout: 'TIME', 'not run': 'NRUN' } as const;
const VERBOSE_POLL_MS = 200;

export class PlainReporter implements Reporter {
  private index = 0;
  private total = 0;
  private live?: { step: Step; output: LiveOutput; timer: NodeJS.Timeout; printed: number };

  constructor(
    private readonly write: (text: string) => void = (t) => process.stdout.write(t),
    private readonly style: Style = makeStyle(false),
    private readonly verbose = false,
  ) {}

  runStart(info: RunStartInfo): void {
    this.total = info.total - (info.cleanup ?? 0);
    this.write(`runbook: ${info.title ?? 'run'}${info.target ? ` (target ${info.target})` : ''}, ${stepCount(info)}\n`);
  }
  stepStart(_step: Step, index: number, total: number, _phase: 'main' | 'cleanup'): void {
    this.index = index;
    this.total = total;
  }
  stepStatus(_step: Step, _detail: string): void {
    // CI logs get one line per step; in-progress detail would only add noise.
  }
  stepOutput(step: Step, output: LiveOutput): void {
    if (!this.verbose) return;
    this.endLive();
    const timer = setInterval(() => this.printLive(), VERBOSE_POLL_MS);
    timer.unref();
    this.live = { step, output, timer, printed: 0 };
  }
  stepEnd(r: StepResult): void {
    if (this.live?.step === r.step) {
      const printed = this.endLive();
      for (const line of verboseRest(r, printed)) this.write(`${r.step.id} | ${line}\n`);
    }
    const attempts = r.attempts > 1 ? `, ${r.attempts} attempts` : '';
    const where = `${r.step.position.file}:${r.step.position.line}`;
    const label = r.phase === 'cleanup' ? 'cleanup' : `${this.index + 1}/${this.total}`;
    const note = stepNote(r);
    this.write(`${WORDS[r.status]} [${label}] ${r.step.id} (${formatDuration(r.durationMs)}${attempts}) ${where}${note ? ` — ${note}` : ''}\n`);
    if (r.status === 'failed' || r.status === 'timedout') this.write(describeFailure(r, this.style) + '\n');
  }
  runEnd(result: RunResult): void {
    this.endLive();
    this.write(summarize(result, this.style) + '\n');
  }
  note(text: string): void {
    this.write(`note: ${text}\n`);
  }

  private printLive(final = false): void {
    if (!this.live) return;
    const lines = this.live.output.next(final);
    for (const line of lines) this.write(`${this.live.step.id} | ${line}\n`);
    this.live.printed += lines.length;
  }

  /** Stops following the step's output; how many of its lines were printed. */
  private endLive(): number {
    if (!this.live) return 0;
    clearInterval(this.live.timer);
    this.printLive(true); // what came since the last look
    const { printed } = this.live;
    this.live = undefined;
    return printed;
  }
}
