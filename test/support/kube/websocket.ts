// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The `ws` package (installed as a dependency of @kubernetes/client-node) ships no TypeScript types
// and @types/ws is not installed, so it is loaded through require with the small surface we use typed here.

import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';

export interface ServerWebSocket {
  readonly protocol: string;
  readonly readyState: number;
  send(data: Buffer, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

export interface WebSocketServerLike {
  readonly clients: Set<ServerWebSocket>;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: ServerWebSocket) => void): void;
  close(callback?: () => void): void;
}

interface WsModule {
  WebSocketServer: new (options: {
    noServer: true;
    clientTracking: true;
    handleProtocols: (offered: Set<string>, request: IncomingMessage) => string | false;
  }) => WebSocketServerLike;
  OPEN: number;
}

const ws = createRequire(import.meta.url)('ws') as WsModule;

/** A WebSocket server that answers with the subprotocol `choose` picked for the request. */
export function createWebSocketServer(choose: (request: IncomingMessage) => string | false): WebSocketServerLike {
  return new ws.WebSocketServer({ noServer: true, clientTracking: true, handleProtocols: (_, request) => choose(request) });
}

export const WEBSOCKET_OPEN = ws.OPEN;

export interface ClientWebSocket {
  readonly protocol: string;
  send(data: Buffer): void;
  close(): void;
  on(event: 'open', listener: () => void): this;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'unexpected-response', listener: (request: unknown, response: IncomingMessage) => void): this;
}

/** A bare WebSocket client, for tests that check the framing byte by byte. */
export function openWebSocket(url: string, protocols: string[]): ClientWebSocket {
  const Client = ws as unknown as new (url: string, protocols: string[]) => ClientWebSocket;
  return new Client(url, protocols);
}
