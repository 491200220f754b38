// A managed port-forward: local TCP servers on 127.0.0.1 whose connections are carried to a pod
// through client-node's PortForward (one WebSocket per connection). The pods are followed with a
// watch, so when the pod in use goes away or stops being ready, new connections go to another
// serving pod — what `kubectl port-forward` does not do. Closed with close(), however the run ends.
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { abortable, apiErrorText, type KubeClients } from './client.ts';
import { watchCollection } from './list-watch.ts';
import { isServing } from './service-backends.ts';

export interface PortMapping {
  /** Local port on 127.0.0.1; 0 picks a free one. */
  localPort: number;
  /** The container port to reach in the chosen pod (undefined: this pod cannot serve it). */
  containerPort(pod: V1Pod): number | undefined;
  label: string;
}

export interface ForwarderOptions {
  clients: KubeClients;
  namespace: string;
  /** Pods that may serve: a label selector (a Service's), or one pod by name. */
  selector?: string;
  podName?: string;
  mappings: PortMapping[];
  /** Lines for the step's output (which pod, reconnects, errors). */
  onNotice(text: string): void;
  /** How long a connection waits for a serving pod when there is none at the moment. */
  connectWaitMs?: number;
}

export class PodForwarder {
  /** The bound local ports, in the order of the mappings. */
  readonly ports: number[] = [];
  private pods: V1Pod[] = [];
  private current?: string;
  private readonly stop = new AbortController();
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly tunnels = new Set<{ close(): void }>();
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Why following the pods stopped for good (refused credentials). */
  private failure?: Error;

  private constructor(private readonly options: ForwarderOptions) {}

  /** Waits (until `signal`) for a serving pod, then listens on every local port. */
  static async start(options: ForwarderOptions, signal: AbortSignal): Promise<PodForwarder> {
    const forwarder = new PodForwarder(options);
    try {
      forwarder.follow();
      const pod = await forwarder.servingPod(signal);
      if (!pod) throw new Error(`no Running and Ready pod ${forwarder.describePods()} to forward to`);
      for (const mapping of options.mappings) {
        const port = mapping.containerPort(pod);
        if (port === undefined) throw new Error(`pod ${pod.metadata?.name} has no container port for ${mapping.label}`);
        forwarder.ports.push(await forwarder.listen(mapping));
      }
      return forwarder;
    } catch (e) {
      await forwarder.close();
      throw e;
    }
  }

  /** The pod connections go to right now. */
  get pod(): string | undefined {
    return this.current;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    for (const ws of this.tunnels) ws.close();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const wake of this.waiters) wake();
  }

  private describePods(): string {
    const { namespace, selector, podName } = this.options;
    return podName ? `named ${podName} in namespace ${namespace}` : `matching ${selector} in namespace ${namespace}`;
  }

  /** Keeps `pods` up to date with a list + watch until close(). */
  private follow(): void {
    const { clients, namespace, selector, podName } = this.options;
    const fieldSelector = podName ? `metadata.name=${podName}` : undefined;
    void watchCollection<V1Pod>({
      clients,
      path: `/api/v1/namespaces/${namespace}/pods`,
      labelSelector: selector,
      fieldSelector,
      list: (signal) => clients.core.listNamespacedPod({ namespace, labelSelector: selector, fieldSelector }, abortable(signal)),
      signal: this.stop.signal,
      onNotice: (text) => this.options.onNotice(text),
      onChange: (pods) => {
        this.pods = pods;
        this.choose();
        return false;
      },
    }).catch((e: Error) => {
      this.failure = e;
      for (const wake of this.waiters) wake();
    });
  }

  /** Keeps the current pod while it serves; otherwise moves to another serving pod. */
  private choose(): void {
    const serving = this.pods.filter(isServing).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    const keep = serving.find((p) => p.metadata?.name === this.current);
    const next = keep ?? serving[0];
    const name = next?.metadata?.name;
    if (name !== this.current && this.ports.length) {
      this.options.onNotice(name ? `pod ${this.current ?? '(none)'} is gone or not ready; forwarding to pod ${name}` : `pod ${this.current} is gone or not ready; no other pod ${this.describePods()} is serving`);
    }
    this.current = name;
    if (next) {
      for (const wake of this.waiters) wake();
      this.waiters = [];
    }
  }

  private async servingPod(signal: AbortSignal): Promise<V1Pod | undefined> {
    while (!signal.aborted && !this.closed) {
      if (this.failure) throw this.failure;
      const pod = this.pods.find((p) => p.metadata?.name === this.current);
      if (pod) return pod;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    return undefined;
  }

  private listen(mapping: PortMapping): Promise<number> {
    const server = createServer((socket) => void this.connect(socket, mapping));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new Error(`127.0.0.1:${mapping.localPort} is already in use (another port-forward, or a program listening there)`) : e),
      );
      server.listen(mapping.localPort, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  }

  private async connect(socket: Socket, mapping: PortMapping): Promise<void> {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const pod = await this.servingPod(AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.options.connectWaitMs ?? 10_000)])).catch((e: Error) => {
      this.options.onNotice(e.message);
      return undefined;
    });
    const podName = pod?.metadata?.name;
    const port = pod && mapping.containerPort(pod);
    if (!podName || port === undefined || socket.destroyed) {
      if (!socket.destroyed) this.options.onNotice(`a connection to ${mapping.label} was refused: no pod ${this.describePods()} is serving`);
      socket.destroy();
      return;
    }
    const errors = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!chunk.toString().trim()) return done(); // the error channel opens with an empty frame
        this.options.onNotice(`port-forward to pod ${podName} port ${port}: ${chunk.toString().trim()}`);
        socket.destroy();
        done();
      },
    });
    try {
      const ws = (await new k8s.PortForward(this.options.clients.kc).portForward(this.options.namespace, podName, [port], socket, errors, socket)) as unknown as {
        close(): void;
        on(event: 'close', listener: () => void): void;
      };
      this.tunnels.add(ws);
      ws.on('close', () => {
        this.tunnels.delete(ws);
        socket.end();
      });
      socket.on('close', () => ws.close());
      if (this.closed) ws.close();
    } catch (e) {
      this.options.onNotice(`port-forward to pod ${podName} port ${port} failed: ${apiErrorText(e)}`);
      socket.destroy();
    }
  }
}
