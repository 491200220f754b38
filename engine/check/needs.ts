// `runbook check`: the chapters' `needs:` name existing, earlier chapters and form no cycle.
import type { OfflineCheck } from './types.ts';
import { chaptersOf, graphProblems } from '../chapters/graph.ts';

export const checkNeeds: OfflineCheck = (runbook) => ({ errors: graphProblems(chaptersOf(runbook)), warnings: [] });
