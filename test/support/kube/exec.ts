// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// GET /api/v1/namespaces/NS/pods/NAME/exec?command=…&container=…&stdin=&stdout=&stderr=&tty= over
// WebSocket, the way kubectl ≥ 1.30 runs `kubectl exec` (KEP-4006, remote command over WebSockets):
//   - subprotocol v5.channel.k8s.io (or v4.channel.k8s.io); binary messages start with a channel
//     byte: 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize;
//   - v5 adds the close signal: the message [255, channel] half-closes that channel (stdin's end);
//   - when the command ends, channel 3 carries a metav1.Status: Success, or Failure with reason
//     NonZeroExitCode and the exit code as the cause, and the WebSocket closes.
// What runs in the "container" is the pod runtime's exec handler (pod-runtime.ts).

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PodRuntime } from './pod-runtime.ts';
import type { KubeObject } from './resources.ts';
import { badRequest } from './status.ts';
import { createWebSocketServer, WEBSOCKET_OPEN } from './websocket.ts';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

function chooseProtocol(request: IncomingMessage): string | false {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return offered.find((p) => PROTOCOLS.includes(p)) ?? false;
}

export class ExecGateway {
  private readonly server = createWebSocketServer(chooseProtocol);

  constructor(private readonly runtime: PodRuntime) {}

  handle(request: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject): void {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const command = query.getAll('command');
    if (command.length === 0) throw badRequest('you must specify at least 1 command');
    const spec = pod.spec as { containers: Array<{ name: string }>; initContainers?: Array<{ name: string; restartPolicy?: string }> };
    const names = [...spec.containers, ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')].map((c) => c.name);
    const container = query.get('container') || spec.containers[0]?.name;
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    const phase = (pod.status as { phase?: string })?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    if (!chooseProtocol(request)) throw badRequest(`requested protocol(s) are not supported; supports [${PROTOCOLS.join(' ')}]`);
    const flag = (name: string) => ['true', '1'].includes(query.get(name) ?? '');
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const process = this.runtime.execHandler(pod.metadata.namespace ?? '', pod.metadata.name ?? '')({
        namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name ?? '', container, command, stdin: flag('stdin'), tty: flag('tty'),
      });
      const send = (channel: number, data: Buffer) => {
        if (ws.readyState === WEBSOCKET_OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
      };
      const outputs = [
        new Promise<void>((resolve) => process.stdout.on('end', resolve).on('close', resolve)),
        new Promise<void>((resolve) => process.stderr.on('end', resolve).on('close', resolve)),
      ];
      process.stdout.on('data', (data: Buffer) => flag('stdout') && send(CHANNEL.stdout, data));
      process.stderr.on('data', (data: Buffer) => flag('stderr') && send(tty(flag('tty')), data));
      ws.on('message', (data) => {
        if (data.length === 0) return;
        if (data[0] === CHANNEL.stdin && data.length > 1) process.stdin?.write(data.subarray(1));
        if (data[0] === CHANNEL.close && data[1] === CHANNEL.stdin) process.stdin?.end();
      });
      ws.on('close', () => {
        process.stdin?.end();
        process.kill();
      });
      void Promise.all([process.exitCode, ...outputs]).then(([code]) => {
        const status = code === 0
          ? { metadata: {}, status: 'Success' }
          : {
            metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
            message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
            details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
          };
        send(CHANNEL.error, Buffer.from(JSON.stringify(status)));
        if (ws.readyState === WEBSOCKET_OPEN) ws.close(1000);
      });
    });
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}

/** With a TTY, stderr is merged into stdout (the terminal has one stream). */
function tty(on: boolean): number {
  return on ? CHANNEL.stdout : CHANNEL.stderr;
}
