// The block title of a step that runs on some targets only: the reader follows one target and
// needs to know which commands are not for them.
import type { Step } from '../model.ts';

export function targetTitle(step: Step): string | undefined {
  if (!step.targets.length) return undefined;
  return `Only on ${step.targets.join(' or ')}`;
}
