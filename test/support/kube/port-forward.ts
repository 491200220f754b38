// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// GET /api/v1/namespaces/NS/pods/NAME/portforward?ports=P over WebSocket, framed the way the kubelet's
// WebSocket port-forward handler frames it (the one @kubernetes/client-node's PortForward speaks):
//   - subprotocol: the first offered one we support, in the client's order; client-node offers
//     v5.channel.k8s.io first, which port-forward does not speak, so "v4.channel.k8s.io" is chosen;
//   - every binary message starts with one channel byte; port i uses channel 2i for data (both ways)
//     and channel 2i+1 for errors (server to client);
//   - the first message on every channel is the port number as 2 bytes, little-endian;
//   - when the target connection ends or fails (the failure text goes on the error channel), the
//     WebSocket closes.
// Bytes are bridged to a TCP target the test configures per pod and port.

import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { badRequest, type StatusObject } from './status.ts';
import type { KubeObject } from './resources.ts';
import type { KubeStore } from './store.ts';
import { createWebSocketServer, WEBSOCKET_OPEN, type ServerWebSocket } from './websocket.ts';

/** Only the binary framing; kubelets also accept v4.base64.channel.k8s.io, which client-node never asks for. */
const SUPPORTED_PROTOCOLS = ['v4.channel.k8s.io'];

function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  return (header ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

function chooseProtocol(request: IncomingMessage): string | false {
  return offeredProtocols(request).find((p) => SUPPORTED_PROTOCOLS.includes(p)) ?? false;
}

/** Answers an upgrade request with a plain HTTP error carrying a Status body. */
export function rejectUpgrade(socket: Duplex, status: StatusObject): void {
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' + body,
  );
}

function parsePorts(request: IncomingMessage): number[] {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const ports = query.getAll('ports').flatMap((p) => p.split(',')).filter(Boolean).map(Number);
  if (ports.length === 0) throw badRequest('query parameter "port" is required');
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw badRequest(`invalid port: ${port}`);
  }
  return ports;
}

function frame(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

export class PortForwardGateway {
  private readonly server = createWebSocketServer(chooseProtocol);
  private readonly targets = new Set<Socket>();

  constructor(private readonly store: KubeStore) {}

  /** Upgrades the request for an existing pod and starts forwarding every requested port. */
  handle(request: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject): void {
    const ports = parsePorts(request);
    const offered = offeredProtocols(request);
    if (offered.length > 0 && !chooseProtocol(request)) {
      throw badRequest(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${SUPPORTED_PROTOCOLS.join(' ')}]`);
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.forward(ws, pod, ports));
  }

  close(): void {
    for (const target of this.targets) target.destroy();
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }

  private forward(ws: ServerWebSocket, pod: KubeObject, ports: number[]): void {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const send = (channel: number, data: Buffer) => {
      if (ws.readyState === WEBSOCKET_OPEN) ws.send(frame(channel, data));
    };
    ports.forEach((port, index) => {
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16LE(port, 0);
      send(2 * index, portBytes);
      send(2 * index + 1, portBytes);
    });

    let open = ports.length;
    const portDone = () => {
      open -= 1;
      if (open === 0 && ws.readyState === WEBSOCKET_OPEN) ws.close(1000);
    };
    const connections = ports.map((port, index) => {
      const target = this.store.portForwardTarget(namespace, name, port);
      const fail = (why: string) => {
        send(2 * index + 1, Buffer.from(
          `error forwarding port ${port} to pod ${name}, uid ${pod.metadata.uid ?? ''}: ` +
            `failed to connect to localhost:${port} inside namespace "${namespace}": ${why}`));
      };
      if (!target) {
        fail('connection refused (no port-forward target set for this pod and port)');
        portDone();
        return undefined;
      }
      const connection = connect(target.port, target.host);
      this.targets.add(connection);
      connection.on('data', (data: Buffer) => send(2 * index, data));
      connection.on('error', (error) => fail(error.message));
      connection.on('close', () => {
        this.targets.delete(connection);
        portDone();
      });
      return connection;
    });

    ws.on('message', (data, isBinary) => {
      if (!isBinary || data.length < 1) return;
      const channel = data[0];
      const connection = channel % 2 === 0 ? connections[channel / 2] : undefined;
      if (connection && data.length > 1) connection.write(data.subarray(1));
    });
    ws.on('close', () => {
      for (const connection of connections) connection?.end();
    });
    ws.on('error', () => {
      for (const connection of connections) connection?.destroy();
    });
  }
}
