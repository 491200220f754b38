// The failure block both reporters print: step id, file:line, command, output tail, diff.
import type { StepResult } from '../execute/results.ts';
import type { Style } from './style.ts';

const TAIL_LINES = 25;

export function describeFailure(r: StepResult, style: Style): string {
  const s = r.step;
  const out: string[] = [];
  out.push(style.red(style.bold(`✖ step ${s.id} ${r.status === 'timedout' ? 'timed out' : 'failed'}`)) + ` at ${s.position.file}:${s.position.line}`);
  if (r.message) out.push(`  ${r.message}`);
  const command = r.command;
  out.push(style.dim('  command:'));
  for (const line of command.split('\n').slice(0, 15)) out.push(`    ${line}`);
  const output = r.output.replace(/\n+$/, '');
  if (output) {
    const lines = output.split('\n');
    out.push(style.dim(`  output${lines.length > TAIL_LINES ? ` (last ${TAIL_LINES} of ${lines.length} lines)` : ''}:`));
    for (const line of lines.slice(-TAIL_LINES)) out.push(`    ${line}`);
  }
  if (r.stderr?.trim()) {
    out.push(style.dim('  stderr:'));
    for (const line of r.stderr.replace(/\n+$/, '').split('\n').slice(-10)) out.push(`    ${line}`);
  }
  if (r.diff) {
    out.push(style.dim('  diff (- expected, + actual):'));
    for (const line of r.diff.split('\n')) {
      const colored = line.startsWith('-') && !line.startsWith('---') ? style.red(line) : line.startsWith('+') && !line.startsWith('+++') ? style.green(line) : line;
      out.push(`    ${colored}`);
    }
  }
  return out.join('\n');
}
