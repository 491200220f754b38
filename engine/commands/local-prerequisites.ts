// Prerequisites of the machine itself, whatever the target: a bash new enough for the session
// (4.2: `declare -g`, `{fd}>` redirections — macOS ships 3.2), and a browser when the plan
// takes screenshots, so a missing one stops the run before step 1 instead of at step 25.
import { spawnSync } from 'node:child_process';
import type { Plan } from '../plan.ts';
import type { PreflightProblem } from './preflight.ts';

export function bashProblem(): PreflightProblem[] {
  const probe = spawnSync('bash', ['-c', 'echo "${BASH_VERSINFO[0]} ${BASH_VERSINFO[1]}"'], { encoding: 'utf8', timeout: 5000 });
  if (probe.error) return [{ what: 'bash is not installed', fix: 'install bash 4.2 or newer (Debian: apt-get install bash; macOS: brew install bash)' }];
  const [major, minor] = probe.stdout.trim().split(' ').map(Number);
  if (major > 4 || (major === 4 && minor >= 2)) return [];
  return [{ what: `bash ${major}.${minor} is too old (the session needs 4.2 or newer)`, fix: 'macOS: brew install bash, and make sure that bash comes first on PATH' }];
}

export async function browserProblem(plan: Plan): Promise<PreflightProblem[]> {
  const shoots = plan.steps.some(({ step, skipReason }) => !skipReason && step.type === 'directive' && step.verb === 'screenshot');
  if (!shoots) return [];
  const { findChromium, BrowserMissingError } = await import('../browser/find-chromium.ts');
  try {
    findChromium();
    return [];
  } catch (e) {
    if (e instanceof BrowserMissingError) return [{ what: 'no Chromium or Chrome for the screenshot steps', fix: e.message }];
    throw e;
  }
}
