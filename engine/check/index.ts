// The offline checks `runbook check` runs after parsing; features add theirs here.
import type { OfflineCheck } from './types.ts';
import { checkReferences } from './references.ts';
import { checkShell } from './shellcheck.ts';
import { checkManifests } from './manifests.ts';
import { checkNeeds } from './needs.ts';
import { checkExamples } from './examples.ts';

export const OFFLINE_CHECKS: OfflineCheck[] = [checkReferences, checkShell, checkManifests, checkNeeds, checkExamples];
export type { OfflineCheck, CheckFindings } from './types.ts';
