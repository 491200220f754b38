// An `output` block is what a reader sees under a step: the author's example until a run
// captures the real output. It must itself pass the step's `expect-output`, or the docs would show
// an output the run would reject. A pattern (`match=regex`) is never shown to readers, so a
// regex expectation without an example leaves the step without visible output: a warning.
import type { Runbook, Step } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { matchers } from '../match/index.ts';
import type { CheckFindings } from './types.ts';

/** True when readers are shown an example instead of the expectation itself. */
export function isPattern(step: Step): boolean {
  return step.expect !== undefined && !step.expect.todo && step.expect.match === 'regex';
}

export function checkExamples(runbook: Runbook): CheckFindings {
  const findings: CheckFindings = { errors: [], warnings: [] };
  for (const step of runbook.steps) {
    const { expect, output } = step;
    if (!expect || expect.todo) continue;
    if (!output || output.todo) {
      if (isPattern(step) && !step.hidden) {
        findings.warnings.push(
          `${expect.position.file}:${expect.position.line}: step ${step.id} checks its output against a pattern, and readers see no example of it: add an \`output\` block after the expect-output with a realistic example`,
        );
      }
      continue;
    }
    // stream=stdout matches stdout alone while an output block shows both streams.
    if (step.streamStdoutOnly) continue;
    const verdict = matchers[expect.match](expect.text, output.text);
    if (verdict.ok) continue;
    findings.errors.push(
      new RunbookError(
        `the example output of step ${step.id} does not pass its expect-output (match=${expect.match})\n${indent(verdict.diff ?? '')}`,
        output.position,
        undefined,
        `Make the example at ${output.position.file}:${output.position.line} a realistic output that passes the expectation at line ${expect.position.line}, or fix the expectation.`,
      ),
    );
  }
  return findings;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
