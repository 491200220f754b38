// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// GET /api/v1/namespaces/NS/pods/NAME/portforward, in the three ways clients ask for it:
//
// 1. SPDY tunnelled through a WebSocket (subprotocol "SPDY/3.1+portforward.k8s.io"), what kubectl
//    ≥ 1.31 uses (KEP-4006, PortForwardWebsockets on by default), and
// 2. SPDY over a plain HTTP upgrade (Upgrade: SPDY/3.1, X-Stream-Protocol-Version:
//    portforward.k8s.io), kubectl's fallback: the kubelet's portforward.k8s.io protocol, where each
//    connection is a pair of streams (streamType error and data) sharing a requestID header;
//
// 3. the kubelet's WebSocket channel protocol, which @kubernetes/client-node's PortForward speaks:
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
import { SpdySession, type SpdyStream, type SpdyTransport } from './spdy.ts';
import type { KubeStore } from './store.ts';
import { createWebSocketServer, WEBSOCKET_OPEN, type ServerWebSocket } from './websocket.ts';

const SPDY_TUNNEL = 'SPDY/3.1+portforward.k8s.io';
/** The SPDY tunnel, and the binary channel framing (kubelets also accept v4.base64.channel.k8s.io, which no client here asks for). */
const SUPPORTED_PROTOCOLS = [SPDY_TUNNEL, 'v4.channel.k8s.io'];

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
  private readonly tunnelServer = createWebSocketServer(() => SPDY_TUNNEL);
  private readonly targets = new Set<Socket>();
  private readonly sessions = new Set<SpdySession>();

  constructor(private readonly store: KubeStore) {}

  /** Upgrades the request for an existing pod and starts forwarding. */
  handle(request: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject): void {
    if (/^spdy\/3\.1$/i.test(String(request.headers.upgrade ?? ''))) {
      this.upgradeSpdy(request, socket, head, pod);
      return;
    }
    const offered = offeredProtocols(request);
    if (offered.length > 0 && !chooseProtocol(request)) {
      throw badRequest(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${SUPPORTED_PROTOCOLS.join(' ')}]`);
    }
    if (chooseProtocol(request) === SPDY_TUNNEL) {
      // "SPDY/3.1+portforward.k8s.io" is not an RFC 7230 token ('/'), which the ws library refuses to
      // parse (the API server's Go library accepts it): hand ws a token and answer with the real name.
      request.headers['sec-websocket-protocol'] = 'spdy-portforward-tunnel';
      this.tunnelServer.handleUpgrade(request, socket, head, (ws) => {
        const transport: SpdyTransport = { write: (data) => ws.readyState === WEBSOCKET_OPEN && ws.send(data), end: () => ws.close(1000) };
        const session = this.spdySession(transport, pod);
        ws.on('message', (data) => session.receive(data));
        ws.on('close', () => session.close());
        ws.on('error', () => session.close());
      });
      return;
    }
    const ports = parsePorts(request);
    this.server.handleUpgrade(request, socket, head, (ws) => this.forward(ws, pod, ports));
  }

  /** SPDY straight over the upgraded HTTP connection. */
  private upgradeSpdy(request: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject): void {
    const versions = String(request.headers['x-stream-protocol-version'] ?? '').split(',').map((v) => v.trim());
    if (!versions.includes('portforward.k8s.io')) throw badRequest(`unable to upgrade: no protocol in [${versions.join(' ')}] is supported; supports [portforward.k8s.io]`);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
    const session = this.spdySession({ write: (data) => socket.write(data), end: () => socket.end() }, pod);
    if (head.length) session.receive(head);
    socket.on('data', (data: Buffer) => session.receive(data));
    socket.on('close', () => session.close());
  }

  /** The portforward.k8s.io protocol: per connection an error stream and a data stream with the same requestID. */
  private spdySession(transport: SpdyTransport, pod: KubeObject): SpdySession {
    const session = new SpdySession(transport);
    const errors = new Map<string, SpdyStream>();
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    session.on('stream', (stream: SpdyStream) => {
      const requestId = stream.headers.requestid ?? '';
      const port = Number(stream.headers.port);
      if (stream.headers.streamtype === 'error') {
        errors.set(requestId, stream);
        return;
      }
      const fail = (why: string) => {
        const errorStream = errors.get(requestId);
        errorStream?.write(Buffer.from(`error forwarding port ${port} to pod ${name}, uid ${pod.metadata.uid ?? ''}: ` +
          `failed to connect to localhost:${port} inside namespace "${namespace}": ${why}`));
        errorStream?.end();
        stream.end();
      };
      const target = this.store.runtime.portForwardTarget(namespace, name, port);
      if (!target) {
        fail('connection refused (no port-forward target set for this pod and port)');
        return;
      }
      const connection = connect(target.port, target.host);
      this.targets.add(connection);
      connection.on('data', (data: Buffer) => stream.write(data));
      connection.on('error', (error) => fail(error.message));
      connection.on('end', () => stream.end());
      connection.on('close', () => {
        this.targets.delete(connection);
        errors.get(requestId)?.end();
        errors.delete(requestId);
      });
      stream.on('data', (data: Buffer) => connection.write(data));
      stream.on('end', () => connection.end());
    });
    this.sessions.add(session);
    session.on('close', () => this.sessions.delete(session));
    return session;
  }

  close(): void {
    for (const session of this.sessions) session.close();
    for (const target of this.targets) target.destroy();
    for (const client of [...this.server.clients, ...this.tunnelServer.clients]) client.terminate();
    this.server.close();
    this.tunnelServer.close();
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
      const target = this.store.runtime.portForwardTarget(namespace, name, port);
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
