// An offline check of a loaded runbook (`runbook check`): errors fail the check (exit 2),
// warnings are shown.
import type { Runbook } from '../model.ts';
import type { RunbookError } from '../errors.ts';

export interface CheckFindings {
  errors: RunbookError[];
  warnings: string[];
}

export type OfflineCheck = (runbook: Runbook, workdir: string) => Promise<CheckFindings> | CheckFindings;
