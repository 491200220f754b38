// `b` in an interactive run: the steps from here on, numbered, and a jump forward to one of them
// (by number or id). Steps passed over are skipped — except background steps and port-forwards,
// which run anyway because later steps use what they start.
import type { StepView } from '../execute/step-control.ts';
import type { Style } from '../progress/style.ts';
import { startsProcesses } from '../execute/resume.ts';
import type { KeyReader } from './keys.ts';

const LISTED = 30;

export async function jumpTarget(view: StepView, keys: KeyReader, output: NodeJS.WriteStream, style: Style, width: number): Promise<number | undefined> {
  const steps = view.plan.steps;
  const last = Math.min(steps.length, view.index + LISTED);
  const rows: string[] = [];
  for (let i = view.index; i < last; i++) {
    const { step, skipReason } = steps[i];
    const kind = step.type === 'directive' ? step.verb : step.kind;
    const mark = i === view.index ? '▸' : ' ';
    const note = skipReason ? ' (shown only)' : i > view.index && startsProcesses(step) ? ' (runs even when jumped over)' : '';
    const row = `${mark}${String(i + 1).padStart(4)}  ${step.id}  ${style.dim(`${kind} · ${step.position.file}:${step.position.line}${note}`)}`;
    rows.push(row.length > width + 20 ? row.slice(0, width + 19) + '…' : row);
  }
  if (last < steps.length) rows.push(style.dim(`   … ${steps.length - last} more; type a number or id to reach them`));
  output.write(`${rows.join('\n')}\n`);
  for (;;) {
    const answer = await keys.line(`jump forward to step (number or id; Enter to stay): `, output);
    if (answer === undefined) return undefined;
    const byNumber = /^\d+$/.test(answer) ? Number(answer) - 1 : -1;
    const index = byNumber >= 0 ? byNumber : steps.findIndex((s) => s.step.id === answer);
    if (index < 0 || index >= steps.length) output.write(style.yellow(`  no step ${answer}\n`));
    else if (index < view.index) output.write(style.yellow(`  ${answer} is behind this step; jumps go forward only (use --from to start over there)\n`));
    else if (index === view.index) return undefined;
    else return index;
  }
}
