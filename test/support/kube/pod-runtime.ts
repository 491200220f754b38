// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// What the kubelets behind the test server would do for a pod, as the tests configure it: the text
// of its logs, where a port-forward to one of its ports lands (a local TCP server), what `exec`
// runs in it, and how long it takes to stop once deleted. The kubelet removes a deleted pod when
// its containers have stopped, which takes anything up to the grace period (Pod lifecycle,
// "Termination of Pods"): here, `terminationDelayMs` after the deletion, or when the test says so.

import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface TcpTarget {
  host: string;
  port: number;
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
}

/** A command running "in a container": its streams and its exit code. */
export interface ExecProcess {
  stdin?: Writable;
  stdout: Readable;
  stderr: Readable;
  exitCode: Promise<number>;
  kill(): void;
}

export type ExecHandler = (request: ExecRequest) => ExecProcess;

/**
 * The default: the command runs as a process on this machine, as if the container were this
 * machine, with only PATH and HOSTNAME (the pod's name) in its environment.
 */
export const localExec: ExecHandler = (request) => {
  const child = spawn(request.command[0], request.command.slice(1), {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOSTNAME: request.pod },
    stdio: [request.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const exitCode = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      child.stderr?.emit('data', Buffer.from(`exec: "${request.command[0]}": ${error.message}\n`));
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 137 : 1)));
  });
  return { stdin: child.stdin ?? undefined, stdout: child.stdout!, stderr: child.stderr!, exitCode, kill: () => child.kill('SIGKILL') };
};

export class PodRuntime {
  /** How long a deleted pod takes to stop; 'manual': until finishTermination(). */
  terminationDelayMs: number | 'manual' = 50;
  private logs = new Map<string, string>();
  private forwardTargets = new Map<string, TcpTarget>();
  private execHandlers = new Map<string, ExecHandler>();
  private stopping = new Map<string, () => void>();
  private timers = new Set<NodeJS.Timeout>();

  /** Log text for a pod; without `container` it serves every container; `previous` is the last terminated run. */
  setLog(namespace: string, pod: string, text: string, options: { container?: string; previous?: boolean } = {}): void {
    this.logs.set(`${namespace}/${pod}/${options.container ?? ''}/${options.previous ? 'previous' : 'current'}`, text);
  }

  log(namespace: string, pod: string, container: string, previous: boolean): string | undefined {
    const run = previous ? 'previous' : 'current';
    return this.logs.get(`${namespace}/${pod}/${container}/${run}`) ?? this.logs.get(`${namespace}/${pod}//${run}`);
  }

  setPortForwardTarget(namespace: string, pod: string, port: number, target: TcpTarget): void {
    this.forwardTargets.set(`${namespace}/${pod}/${port}`, target);
  }

  portForwardTarget(namespace: string, pod: string, port: number): TcpTarget | undefined {
    return this.forwardTargets.get(`${namespace}/${pod}/${port}`);
  }

  /** What `exec` runs in a pod (every pod when `pod` is '*'); the default runs it on this machine. */
  setExecHandler(namespace: string, pod: string, handler: ExecHandler): void {
    this.execHandlers.set(`${namespace}/${pod}`, handler);
  }

  execHandler(namespace: string, pod: string): ExecHandler {
    return this.execHandlers.get(`${namespace}/${pod}`) ?? this.execHandlers.get(`${namespace}/*`) ?? this.execHandlers.get('*/*') ?? localExec;
  }

  /** Called when a pod turns Terminating; `finish` removes it from the API. */
  podTerminating(namespace: string, pod: string, finish: () => void): void {
    const id = `${namespace}/${pod}`;
    if (this.terminationDelayMs === 'manual') {
      this.stopping.set(id, finish);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      finish();
    }, this.terminationDelayMs);
    this.timers.add(timer);
  }

  /** The containers of a Terminating pod have stopped: the kubelet removes it. */
  finishTermination(namespace: string, pod: string): void {
    const finish = this.stopping.get(`${namespace}/${pod}`);
    this.stopping.delete(`${namespace}/${pod}`);
    finish?.();
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.stopping.clear();
  }
}
