// A directive context for calling the screenshot handler directly: a one-step runbook, the real
// browser cache (ctx.shared) and the run-end teardowns, which the test triggers with runEnd().
import type { DirectiveContext } from '../../../engine/directives/types.ts';
import type { DirectiveStep, Runbook } from '../../../engine/model.ts';
import { emptySettings } from '../../../engine/read/settings.ts';
import { RunObjects } from '../../../engine/directives/run-objects.ts';

export interface Harness {
  shared: RunObjects;
  /** A context for one screenshot step. */
  context(attrs: Record<string, string>, options?: { flags?: string[]; timeoutMs?: number; signal?: AbortSignal; env?: Record<string, string> }): DirectiveContext & { lines: string[] };
  /** Runs the teardowns registered so far (closes the browser). */
  runEnd(): Promise<void>;
}

export function makeHarness(cwd: string, extraSettings: Record<string, unknown> = {}): Harness {
  const shared = new RunObjects();
  const teardowns: (() => Promise<void> | void)[] = [];
  const settings = { ...emptySettings(), extra: extraSettings };
  return {
    shared,
    context(attrs, options = {}) {
      const step: DirectiveStep = {
        type: 'directive',
        kind: 'run',
        verb: 'screenshot',
        args: [],
        attrs,
        flags: options.flags ?? [],
        span: { start: 0, end: 0 },
        id: 'shot',
        explicitId: true,
        position: { file: 'test.md', line: 1 },
        section: [],
        timeoutMs: options.timeoutMs,
        exit: 0,
        targets: [],
        tags: [],
        hidden: false,
        streamStdoutOnly: false,
      };
      const runbook: Runbook = { root: cwd, path: cwd, settings, files: [], steps: [step] };
      const lines: string[] = [];
      return {
        step,
        attrs,
        runbook,
        env: options.env ?? {},
        cwd,
        timeoutMs: options.timeoutMs ?? settings.timeoutMs,
        signal: options.signal ?? new AbortController().signal,
        log: (line) => lines.push(line),
        progress: () => {},
        exportVars: async () => {},
        onRunEnd: (teardown) => teardowns.push(teardown),
        shared,
        lines,
      };
    },
    async runEnd() {
      for (const teardown of teardowns.splice(0).reverse()) await teardown();
    },
  };
}
