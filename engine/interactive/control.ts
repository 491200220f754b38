// The terminal side of a steered run. `--interactive`: before each step a card (where, prose,
// command) and a key — Enter run, s skip, r run the previous step again, c continue to the next
// failure, b jump forward, v view, q stop; after a failure — r retry, s skip and go on, e a shell
// in the session, v view the output, q stop. `--shell-on-failure`: no questions until a step
// fails, then the shell at once, then the same failure keys.
import { spawn } from 'node:child_process';
import type { StepResult } from '../execute/results.ts';
import type { BeforeStepChoice, FailureChoice, StepControl, StepView } from '../execute/step-control.ts';
import { commandText } from '../execute/step-executor.ts';
import type { Reporter } from '../progress/reporter.ts';
import type { Style } from '../progress/style.ts';
import { KeyReader, type Key, type KeyInput } from './keys.ts';
import { stepCard } from './card.ts';
import { jumpTarget } from './jump.ts';
import { describeChanges, openSessionShell } from './shell.ts';

export interface TerminalControlOptions {
  interactive: boolean;
  input: KeyInput;
  output: NodeJS.WriteStream;
  style: Style;
  reporter: Reporter;
  keepGoing: boolean;
  /** bash for the in-session shell (tests). */
  shell?: string;
}

const BEFORE_KEYS = ['enter', 's', 'r', 'c', 'b', 'v', 'q', '?', 'h'] as const;
const FAILURE_KEYS = ['r', 's', 'e', 'v', 'q', '?', 'h'] as const;

export class TerminalControl implements StepControl {
  private readonly keys: KeyReader;
  private continuing = false; // `c`: run on without asking until a step fails
  private abortStep?: () => void;
  private foreign?: () => void; // a shell or pager has the terminal; ends it when the run stops
  private stopping = false;

  constructor(private readonly options: TerminalControlOptions) {
    this.keys = new KeyReader(options.input);
  }

  async beforeStep(view: StepView): Promise<BeforeStepChoice> {
    if (!this.options.interactive || this.continuing || this.stopping) return { do: 'run' };
    const planned = view.plan.steps[view.index];
    const command = commandText(planned.step);
    this.options.reporter.pause?.();
    this.print(
      stepCard(
        { runbook: view.runbook, step: planned.step, index: view.index, total: view.plan.steps.length, target: view.plan.target?.name, command, width: this.width() },
        this.options.style,
      ),
    );
    for (;;) {
      this.prompt([this.hint('Enter', 'run'), this.hint('s', 'skip'), view.previous && this.hint('r', 're-run last'), this.hint('c', 'continue'), this.hint('b', 'jump'), this.hint('q', 'quit'), this.hint('?', '')].filter(Boolean).join(' '));
      const key = await this.key(BEFORE_KEYS);
      this.print(key === 'enter' ? '' : ` ${key}`);
      switch (key) {
        case 'enter':
          return { do: 'run' };
        case 's':
          return { do: 'skip' };
        case 'c':
          this.continuing = true;
          return { do: 'run' };
        case 'q':
        case 'ctrl-c':
          return { do: 'quit' };
        case 'r': {
          const last = view.previous?.step;
          if (last && last.type === 'command' && last.kind === 'background') this.print(this.options.style.dim(`  ${last.id} is a background step and still runs; it is not started twice`));
          else if (last) return { do: 'rerun-previous' };
          else this.print(this.options.style.dim('  no step has run yet'));
          break;
        }
        case '?':
        case 'h':
          this.help(false, view.previous?.step.id);
          break;
        case 'b': {
          const to = await jumpTarget(view, this.keys, this.options.output, this.options.style, this.width());
          if (to !== undefined) return { do: 'jump', to };
          break;
        }
        case 'v':
          await this.page(`# ${planned.step.id} (${planned.step.position.file}:${planned.step.position.line})\n${command}`);
          break;
      }
      if (this.stopping) return { do: 'quit' };
    }
  }

  async afterFailure(result: StepResult, view: StepView): Promise<FailureChoice> {
    this.continuing = false;
    let shells = 0;
    if (!this.options.interactive) {
      // --shell-on-failure: straight into the shell, then the choices.
      await this.shell(result, view);
      shells++;
    }
    for (;;) {
      if (this.stopping) return { do: 'quit', shells };
      const failed = result.status === 'timedout' ? 'timed out' : 'failed';
      this.prompt(`${result.step.id} ${failed}: ${[this.hint('r', 'retry'), this.hint('s', 'skip'), this.hint('e', 'shell'), this.hint('v', 'output'), this.hint('q', 'quit'), this.hint('?', '')].join(' ')}`);
      const key = await this.key(FAILURE_KEYS);
      this.print(` ${key}`);
      switch (key) {
        case 'r':
          return { do: 'retry', shells };
        case 's':
          return { do: 'skip', shells };
        case 'q':
        case 'ctrl-c':
          return { do: 'quit', shells };
        case 'e':
          await this.shell(result, view);
          shells++;
          break;
        case 'v':
          await this.page(`# output of ${result.step.id} (${result.step.position.file}:${result.step.position.line})\n${result.output}${result.diff ? `\n# diff (- expected, + actual)\n${result.diff}` : ''}`);
          break;
        default:
          this.help(true);
      }
    }
  }

  stepRunning(abort: (() => void) | undefined): void {
    this.abortStep = abort;
  }

  /** Ctrl-C (SIGINT): true when it is taken here — it ends only the running step, or belongs to a shell or pager. */
  takeInterrupt(): boolean {
    if (this.foreign) return true;
    if (this.options.interactive && this.abortStep) {
      this.options.reporter.note('Ctrl-C: stopping this step only (q at the prompt stops the run)');
      this.abortStep();
      return true;
    }
    return false;
  }

  /** The run is stopping (SIGTERM, SIGHUP, a second Ctrl-C): no more questions. */
  abort(): void {
    this.stopping = true;
    this.keys.abort();
    this.foreign?.();
  }

  close(): void {
    this.keys.close();
  }

  private async shell(result: StepResult, view: StepView): Promise<void> {
    const { style, output } = this.options;
    this.print(
      style.bold(`\nShell inside the run at ${result.step.id} (${result.step.position.file}:${result.step.position.line}).`) +
        style.dim(`\nVariables, functions, directory and port-forwards are the run's; what you change stays in it.\nexit or Ctrl-D goes back to the run. The prompt is runbook:${result.step.id}$`),
    );
    const changes = await openSessionShell(view.session, { stepId: result.step.id, shell: this.options.shell, onStart: (stop) => (this.foreign = stop) });
    this.foreign = undefined;
    output.write('\n');
    this.print(style.dim(describeChanges(changes)));
  }

  /** Shows a long text in $PAGER (less by default) or, without one, prints it. */
  private async page(text: string): Promise<void> {
    const pager = process.env.PAGER || 'less';
    const shown = await new Promise<boolean>((resolve) => {
      const child = spawn(pager, pager === 'less' ? ['-R', '-F', '-X'] : [], { stdio: ['pipe', 'inherit', 'inherit'], shell: pager !== 'less' });
      this.foreign = () => child.kill('SIGTERM');
      child.stdin.on('error', () => {});
      child.stdin.end(text.endsWith('\n') ? text : text + '\n');
      child.once('error', () => resolve(false));
      child.once('exit', () => resolve(true));
    });
    this.foreign = undefined;
    if (!shown) this.print(text);
  }

  private help(afterFailure: boolean, previous?: string): void {
    const lines = afterFailure
      ? ['r  run the step again', 's  go on without it (it stays failed)', 'e  open a shell inside the run to look around or fix things', 'v  the whole output (and diff) in a pager', 'q  stop: cleanup runs, exit 130']
      : ['Enter  run this step', 's  skip it', `r  run the previous step${previous ? ` (${previous})` : ''} again`, 'c  run on without asking until a step fails', 'b  list the steps and jump forward to one', 'v  the whole command in a pager', 'q  stop: cleanup runs, exit 130'];
    this.print(lines.map((l) => `  ${l}`).join('\n'));
  }

  private key(accepted: readonly Key[]): Promise<Key> {
    return this.keys.key(accepted);
  }

  private hint(key: string, what: string): string {
    return `${this.options.style.bold(`[${key}]`)}${what ? ` ${what}` : ''}`;
  }

  private prompt(text: string): void {
    this.options.output.write(`${text} `);
  }

  private print(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  private width(): number {
    return Math.max(40, Math.min(120, (this.options.output.columns || 100) - 1));
  }
}
