// The JSON report (contract §7): the run's status and every planned step with its result —
// steps that did not run included (`not run`, with why), and what a person did in an
// interactive run (skipped by hand, retried, fixed in the shell).
import { countStatuses, type RunResult } from '../execute/results.ts';
import type { BlockChange } from '../write/writeback.ts';
import { chapterName } from '../chapters/graph.ts';
import { runRecord, type RunRecordInput } from './run-record.ts';

export interface ReportExtras {
  drift?: BlockChange[];
  runbook?: string;
  /** For merge and write --from-report (run-record.ts); the report's own path places relative paths. */
  record?: RunRecordInput;
  reportPath?: string;
}

/** Version of the report's format (schemas/report.schema.json); bumped when a field changes meaning. */
export const REPORT_SCHEMA_VERSION = 1;

export function toJsonReport(result: RunResult, extras: ReportExtras = {}): object {
  const counts = countStatuses(result.steps);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    status: result.status,
    runbook: extras.runbook,
    target: result.target?.name ?? null,
    context: result.target?.context ?? null,
    startedAt: result.startedAt,
    durationMs: Math.round(result.durationMs),
    counts: { total: counts.total, passed: counts.passed, failed: counts.failed, skipped: counts.skipped, notRun: counts.notRun },
    interactive: result.interactive ?? false,
    resumedFrom: result.resumedFrom ?? null,
    restarted: result.restarted ?? [],
    facts: result.facts,
    notes: result.notes,
    steps: result.steps.map((r) => ({
      id: r.step.id,
      kind: r.step.type === 'directive' ? `directive:${r.step.verb}` : r.step.kind,
      phase: r.phase,
      file: r.step.position.file,
      line: r.step.position.line,
      chapter: chapterName(r.step.position.file),
      status: r.status,
      attempts: r.attempts,
      durationMs: Math.round(r.durationMs),
      startedAt: r.startedAt ?? null,
      exitCode: r.exitCode,
      command: r.command,
      output: r.output,
      message: r.message ?? null,
      diff: r.diff ?? null,
      data: r.data ?? null,
      manual: r.manual ?? null,
      earlierAttempts: (r.earlier ?? []).map((e) => ({ ...e, durationMs: Math.round(e.durationMs) })),
    })),
    drift: extras.drift ?? [],
    ...(extras.record ? runRecord(result, extras.record, extras.reportPath ?? 'report.json') : {}),
  };
}
