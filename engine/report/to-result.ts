// A JSON report turned back into run results: with the runbook, each result is tied to the real
// step (write-back needs its output blocks); without it, the step is described from the report
// alone, which is all the JUnit and HTML writers need for a merged report.
import type { Runbook, Step, TargetSettings } from '../model.ts';
import type { RunResult, StepResult } from '../execute/results.ts';
import type { JsonReport, ReportStep } from './read-json.ts';
import { chapterName } from '../chapters/graph.ts';

function fields(s: ReportStep): Omit<StepResult, 'step'> {
  return {
    phase: s.phase === 'cleanup' ? 'cleanup' : 'main',
    status: s.status,
    attempts: s.attempts ?? 0,
    durationMs: s.durationMs ?? 0,
    startedAt: s.startedAt ?? undefined,
    exitCode: s.exitCode ?? null,
    command: s.command ?? '',
    output: s.output,
    diff: s.diff ?? undefined,
    message: s.message ?? undefined,
    data: s.data ?? undefined,
    manual: s.manual ?? undefined,
    earlier: s.earlierAttempts?.length ? s.earlierAttempts : undefined,
  };
}

/** The step as far as the report tells it (id, kind, place): enough to show it, not to run it. */
function describedStep(s: ReportStep): Step {
  const base = { id: s.id, explicitId: true, position: { file: s.file, line: s.line }, section: [], exit: 0, targets: [], tags: [], hidden: false, streamStdoutOnly: false };
  if (s.kind.startsWith('directive:')) {
    return { ...base, type: 'directive', kind: 'run', verb: s.kind.slice('directive:'.length), args: [], attrs: {}, flags: [], span: { start: 0, end: 0 } };
  }
  return { ...base, type: 'command', kind: s.kind as Extract<Step, { type: 'command' }>['kind'], lang: '', code: s.command ?? '' };
}

export function runResultFromReport(report: JsonReport): RunResult {
  const target: TargetSettings | undefined = report.target ? { name: report.target, context: report.context ?? undefined, requires: [] } : undefined;
  return {
    status: report.status,
    target,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    steps: report.steps.map((s) => ({ step: describedStep(s), ...fields(s) })),
    facts: report.facts ?? {},
    notes: report.notes ?? [],
  };
}

/** Results tied to the runbook's steps by id; a step the runbook no longer has, or has elsewhere, is a problem. */
export function resultsForRunbook(runbook: Runbook, report: JsonReport): { results: StepResult[]; problems: string[] } {
  const byId = new Map(runbook.steps.map((s) => [s.id, s]));
  const results: StepResult[] = [];
  const problems: string[] = [];
  for (const s of report.steps) {
    const step = byId.get(s.id);
    if (!step) problems.push(`step ${s.id} (${s.file}:${s.line}) is not in the runbook any more`);
    // Files are compared by chapter name: a report's paths are relative to where that run started.
    else if (chapterName(step.position.file) !== chapterName(s.file) || step.position.line !== s.line) problems.push(`step ${s.id} moved from ${s.file}:${s.line} to ${step.position.file}:${step.position.line}`);
    else results.push({ step, ...fields(s) });
  }
  return { results, problems };
}
