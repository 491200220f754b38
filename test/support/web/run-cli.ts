// Runs `node bin/runbook.js …` as a real process in a directory, for tests of whole runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.ts';

export const RUNBOOK_BIN = fileURLToPath(new URL('../../../bin/runbook.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [RUNBOOK_BIN, ...args], { cwd, env: childEnv({ CI: '1', NO_COLOR: '1', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output: text })),
  );
  return { child, output: () => text, done };
}
