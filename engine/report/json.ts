// The JSON report (contract §7): the run's status and every step with its result.
import type { RunResult } from '../execute/results.ts';
import type { BlockChange } from '../write/writeback.ts';

export interface ReportExtras {
  drift?: BlockChange[];
  runbook?: string;
}

export function toJsonReport(result: RunResult, extras: ReportExtras = {}): object {
  return {
    status: result.status,
    runbook: extras.runbook,
    target: result.target?.name ?? null,
    startedAt: result.startedAt,
    durationMs: Math.round(result.durationMs),
    facts: result.facts,
    notes: result.notes,
    steps: result.steps.map((r) => ({
      id: r.step.id,
      kind: r.step.type === 'directive' ? `directive:${r.step.verb}` : r.step.kind,
      phase: r.phase,
      file: r.step.position.file,
      line: r.step.position.line,
      status: r.status,
      attempts: r.attempts,
      durationMs: Math.round(r.durationMs),
      startedAt: r.startedAt ?? null,
      exitCode: r.exitCode,
      output: r.output,
      message: r.message ?? null,
      diff: r.diff ?? null,
      data: r.data ?? null,
    })),
    drift: extras.drift ?? [],
  };
}
