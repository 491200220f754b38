// The real kubectl against the Kubernetes API test server: one-shot commands, and long-running
// ones (rollout status, port-forward) whose output lines a test can wait for.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { until } from './kube-harness.ts';

export interface Kubectl {
  /** Runs to the end; resolves with its exit code and output (stdout and stderr). */
  run(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts it and follows its output. */
  start(args: string[]): RunningKubectl;
}

export interface RunningKubectl {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number>;
  /** True once it exited. */
  done(): boolean;
  waitForLine(pattern: RegExp): Promise<string>;
}

export function kubectl(t: Test, kubeconfig: string, extraEnv: Record<string, string> = {}): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  t.teardown(() => rmSync(cacheDir, { recursive: true, force: true }));
  const env = { ...process.env, KUBECONFIG: kubeconfig, ...extraEnv };
  const withCache = (args: string[]) => [...args, '--cache-dir', cacheDir];
  return {
    run: (args, input) =>
      new Promise((resolve) => {
        const child = execFile('kubectl', withCache(args), { env }, (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
        });
        if (input !== undefined) child.stdin?.end(input);
      }),
    start(args) {
      const child = spawn('kubectl', withCache(args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      let exited = false;
      let partial = '';
      const take = (chunk: Buffer) => {
        partial += chunk.toString();
        const parts = partial.split('\n');
        partial = parts.pop() ?? '';
        lines.push(...parts);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const done = new Promise<number>((resolve) => child.on('close', (code) => {
        if (partial) lines.push(partial);
        exited = true;
        resolve(code ?? 1);
      }));
      t.teardown(() => {
        if (!exited) child.kill('SIGKILL');
      });
      return {
        child,
        lines,
        exited: done,
        done: () => exited,
        async waitForLine(pattern) {
          await until(() => lines.some((l) => pattern.test(l)) || exited, `kubectl to print ${pattern}`);
          const line = lines.find((l) => pattern.test(l));
          if (!line) throw new Error(`kubectl ${args.join(' ')} ended without printing ${pattern}:\n${lines.join('\n')}`);
          return line;
        },
      };
    },
  };
}
