// The environment for a child `runbook` process in tests. The child runs the compiled engine
// (dist/, rebuilt before the tests by .taprc's `before`), tests run the TypeScript sources through
// tap's loader; their code differs, so the child's coverage would be merged into the same source
// files wrongly (files shown at 100%, or lost). tap's process tracker re-injects itself into every
// child, so coverage is switched off in the child by its own setting; coverage is measured in the
// test processes.
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, _TAPJS_PROCESSINFO_COVERAGE_: '0' };
}
