// The environment for a child `runbook` process in tests. The child runs the compiled engine
// (dist/, rebuilt before the tests by .taprc's `before`), tests run the TypeScript sources through
// tap's loader; their code differs, so the child's coverage would be merged into the same source
// files wrongly (files shown at 100%, or lost). Coverage is measured in the test processes only.
//
// tap's process tracker (@tapjs/processinfo) adds its module loader to every child's
// NODE_OPTIONS at spawn time, through process-on-spawn. On Node 20 that loader runs on a thread
// of its own and costs each child — every `runbook` and every node tool its steps start — tens
// of milliseconds and a busy core. It only serves coverage, so for children started with
// childEnv (coverage off) a listener registered after tap's takes it out again.
import { createRequire } from 'node:module';

const NOT_MEASURED = '_TAPJS_PROCESSINFO_COVERAGE_';

export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  untrackUnmeasuredChildren();
  // Stripped here too: an env handed on without a spawn from this process (tmux) must not carry it.
  return untracked({ ...process.env, ...extra, [NOT_MEASURED]: '0' });
}

/** NODE_OPTIONS without tap's --import/--loader of @tapjs/processinfo, quoted or not (what else is there stays). */
export function withoutProcessTracker(options: string | undefined): string {
  return (options ?? '')
    .split(/\s+/)
    .filter((o) => o && !/^"?--(import|require|loader|experimental-loader)=\S*@tapjs[/\\]processinfo\b/.test(o))
    .join(' ');
}

/** A copy of env whose NODE_OPTIONS no longer loads tap's process tracker. */
function untracked(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  const options = withoutProcessTracker(copy.NODE_OPTIONS);
  if (options) copy.NODE_OPTIONS = options;
  else delete copy.NODE_OPTIONS;
  return copy;
}

let listening = false;
function untrackUnmeasuredChildren(): void {
  if (listening) return;
  listening = true;
  const onSpawn = createRequire(import.meta.url)('process-on-spawn') as { addListener(fn: (o: { env: NodeJS.ProcessEnv }) => void): void };
  onSpawn.addListener((spawning) => {
    if (spawning.env[NOT_MEASURED] === '0') spawning.env = untracked(spawning.env);
  });
}
