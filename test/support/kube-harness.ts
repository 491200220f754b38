// Helpers for the tests of the Kubernetes-aware steps: a test API server with a kubeconfig, and a
// DirectiveContext for running a directive handler against it without a whole run.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { DirectiveStep, Runbook } from '../../engine/model.ts';
import type { DirectiveContext, DirectiveHandler, DirectiveOutcome } from '../../engine/directives/types.ts';
import { RunObjects } from '../../engine/directives/run-objects.ts';
import { emptySettings } from '../../engine/read/settings.ts';
import { startKubeApiServer, type KubeApiServer } from './kube/index.ts';
import { until } from './until.ts';

export { until };

export const CONTEXT = 'kind-istio-runbook';

export interface KubeFixture {
  server: KubeApiServer;
  kubeconfig: string;
  /** A session environment whose KUBECONFIG points at the test server. */
  env: Record<string, string>;
}

export async function kubeFixture(t: Test, context = CONTEXT): Promise<KubeFixture> {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  const kubeconfig = server.kubeconfigPath(context);
  const home = mkdtempSync(join(tmpdir(), 'kube-home-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  return { server, kubeconfig, env: { KUBECONFIG: kubeconfig, HOME: home, PATH: process.env.PATH ?? '' } };
}

export interface DirectiveRun {
  outcome: DirectiveOutcome;
  logs: string[];
  progress: string[];
  exported: Record<string, string>;
  durationMs: number;
}

export interface DirectiveOptions {
  verb: string;
  args?: string[];
  attrs?: Record<string, string>;
  env: Record<string, string>;
  timeoutMs?: number;
  kubeContext?: string;
  shared?: RunObjects;
  /** Teardowns registered with onRunEnd land here; the test runs them. */
  teardowns?: (() => Promise<void> | void)[];
  signal?: AbortSignal;
  onProgress?: (status: string) => void;
}

function directiveStep(verb: string, args: string[], attrs: Record<string, string>): DirectiveStep {
  return {
    type: 'directive', kind: 'run', verb, args, attrs, flags: [], span: { start: 0, end: 0 },
    id: `${verb}-test`, explicitId: true, position: { file: 'test.md', line: 1 }, section: [], exit: 0,
    targets: [], tags: [], hidden: false, streamStdoutOnly: false,
  };
}

/** Runs a handler the way the executor does: a deadline on the signal, logs and exports collected. */
export async function runDirective(handler: DirectiveHandler, options: DirectiveOptions): Promise<DirectiveRun> {
  const logs: string[] = [];
  const progress: string[] = [];
  const exported: Record<string, string> = {};
  const timeoutMs = options.timeoutMs ?? 5000;
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  const ctx: DirectiveContext = {
    step: directiveStep(options.verb, options.args ?? [], options.attrs ?? {}),
    attrs: options.attrs ?? {},
    runbook: { root: '.', path: '.', settings: { ...emptySettings(), timeoutMs }, files: [], steps: [] } as Runbook,
    kubeContext: options.kubeContext,
    env: options.env,
    cwd: process.cwd(),
    timeoutMs,
    signal: AbortSignal.any(signals),
    log: (line) => logs.push(line),
    progress: (status) => {
      progress.push(status);
      options.onProgress?.(status);
    },
    exportVars: async (vars) => void Object.assign(exported, vars),
    onRunEnd: (teardown) => void (options.teardowns ?? []).push(teardown),
    shared: options.shared ?? new RunObjects(),
  };
  const started = performance.now();
  const outcome = await handler.run(ctx);
  return { outcome, logs, progress, exported, durationMs: performance.now() - started };
}

/** A local TCP server that answers every chunk with "echo:" + the chunk, standing in for a pod's port. */
export async function echoServer(t: Test, prefix = 'echo:'): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    socket.on('data', (data) => socket.write(Buffer.concat([Buffer.from(prefix), data])));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, server };
}

/** Connects to 127.0.0.1:port, sends `text`, resolves with the first answer. */
export async function exchange(port: number, text: string, timeoutMs = 3000): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer on 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (data) => {
      clearTimeout(timer);
      socket.end();
      resolve(data.toString());
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`127.0.0.1:${port} closed the connection without an answer`));
    });
  });
}

/**
 * Whether 127.0.0.1:port still forwards to the server that answers with `prefix`. On this busy
 * machine a port freed a moment ago may already be another process's, so what shows a forward has
 * ended is that its server no longer answers there, not that the connection is refused.
 */
export async function stillForwards(port: number, prefix: string): Promise<boolean> {
  const answer = await exchange(port, 'after', 1000).catch(() => '');
  return answer.startsWith(prefix);
}

export async function runTeardowns(teardowns: (() => Promise<void> | void)[]): Promise<void> {
  for (const teardown of teardowns.reverse()) await teardown();
  teardowns.length = 0;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Resolves once `count` watch requests on `path` have reached the server. The server subscribes a
 * watch in the same turn it records the request, so from then on every change reaches the watcher.
 */
export function watchOpened(store: KubeApiServer['store'], path: string, count = 1): Promise<void> {
  return until(() => store.requests.filter((r) => r.path === path && (r.query.watch === 'true' || r.query.watch === '1')).length >= count, `${count} watch(es) on ${path}`);
}
