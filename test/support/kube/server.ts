// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// startKubeApiServer(): plain HTTP (or HTTPS with a test CA) on 127.0.0.1, an ephemeral port, the
// real REST paths for the resources in resources.ts (custom resources included), watch streams,
// pods/log, pods/portforward (WebSocket and SPDY), pods/exec (WebSocket), discovery, a minimal
// OpenAPI v3 and /version. Credentials are checked only when `auth` is given.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { authenticate, UNAUTHORIZED, type AuthOptions } from './auth.ts';
import { Controllers, type ControllerOptions } from './controllers.ts';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions } from './discovery.ts';
import { ExecGateway } from './exec.ts';
import { writeKubeconfig, type KubeconfigOptions } from './kubeconfig.ts';
import { ListSnapshots } from './list.ts';
import { makeNamespace } from './objects.ts';
import { openApiGroupVersion, openApiRoot } from './openapi.ts';
import { PortForwardGateway, rejectUpgrade } from './port-forward.ts';
import { decodeProtobufObject } from './protobuf.ts';
import { TypeNotServed, type ResourceType } from './resources.ts';
import { handleResource, type RestAnswer } from './rest.ts';
import { badRequest, StatusError, unknownPath, type StatusObject } from './status.ts';
import { KubeStore, type RecordedRequest, type VersionInfo } from './store.ts';
import { tableFor, wantsTable } from './table.ts';
import { testCertificates } from './tls.ts';
import { serveWatch } from './watch.ts';

export interface KubeApiServerOptions {
  /** How often watches with allowWatchBookmarks get a BOOKMARK (real servers: about a minute). */
  bookmarkIntervalMs?: number;
  /** How long a deleted namespace stays Terminating before it and its contents go. */
  namespaceTerminationMs?: number;
  /** How long a deleted pod stays Terminating ('manual': until store.runtime.finishTermination). */
  podTerminationMs?: number | 'manual';
  version?: Partial<VersionInfo>;
  /** Start without the namespaces every cluster has (default, kube-system, kube-public, kube-node-lease). */
  emptyCluster?: boolean;
  /** Serve HTTPS with a certificate signed by the test CA (what a kind cluster's kubeconfig trusts). */
  tls?: boolean;
  /** Check credentials: accepted tokens, client certificates. */
  auth?: AuthOptions;
  /** Run the Deployment and ReplicaSet controllers and a kubelet (controllers.ts). */
  controllers?: boolean | ControllerOptions;
  /** Called with each request once recorded, before it is answered (tests change the state "between" requests). */
  onRequest?: (request: RecordedRequest) => void;
}

export interface KubeApiServer {
  /** http://127.0.0.1:PORT (https:// with tls) */
  url: string;
  port: number;
  store: KubeStore;
  /** PEM of the CA that signed the server's certificate (tls only). */
  caCert?: string;
  controllers?: Controllers;
  /** Writes a kubeconfig for this server into a temporary directory removed by close(). */
  kubeconfigPath(contextName?: string, options?: Omit<KubeconfigOptions, 'contextName'>): string;
  close(): Promise<void>;
}

interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Splits /api/v1/... and /apis/GROUP/VERSION/... into resource, namespace, name and subresource. */
function parseResourcePath(store: KubeStore, segments: string[]): ResourcePath | undefined {
  const [root, ...rest] = segments;
  let group = '';
  let version: string | undefined;
  if (root === 'api') version = rest.shift();
  else if (root === 'apis') [group, version] = [rest.shift() ?? '', rest.shift()];
  if (!version || rest.length === 0) return undefined;
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const [namespace, resource, name, subresource, ...extra] = namespaced ? rest.slice(1) : [undefined, ...rest];
  if (!resource || extra.length > 0) return undefined;
  const type = store.types.byPath(group, version, resource);
  if (!type || (namespace !== undefined && !type.namespaced) || (type.namespaced && name && namespace === undefined)) {
    return undefined;
  }
  return { type, namespace, name, subresource };
}

function discoveryDocument(segments: string[], serverAddress: string, store: KubeStore): unknown {
  const path = segments.join('/');
  if (path === 'version') return store.version;
  if (path === 'api') return apiVersions(serverAddress);
  if (path === 'apis') return apiGroupList(store.types);
  if (path === 'openapi/v3') return openApiRoot(store.types);
  if (segments[0] === 'openapi' && segments[1] === 'v3') return openApiGroupVersion(store.types, segments.slice(2).join('/'));
  if (segments[0] === 'api' && segments.length === 2) return apiResourceList(store.types, segments[1]);
  if (segments[0] === 'apis' && segments.length === 2) return apiGroupDocument(store.types, segments[1]);
  if (segments[0] === 'apis' && segments.length === 3) return apiResourceList(store.types, `${segments[1]}/${segments[2]}`);
  return undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function internalError(error: unknown): StatusObject {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'InternalError', code: 500,
    message: `kube test server: ${error instanceof Error ? error.stack ?? error.message : String(error)}`,
  };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (/protobuf/.test(request.headers['content-type'] ?? '')) {
    try {
      return decodeProtobufObject(Buffer.concat(chunks));
    } catch (error) {
      throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'UnsupportedMediaType', code: 415, message: (error as Error).message });
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return /yaml/.test(request.headers['content-type'] ?? '') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body could not be decoded: ${(error as Error).message}`);
  }
}

function segmentsOf(url: URL): string[] {
  return url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
}

/** The field manager of a write: ?fieldManager=, else the User-Agent's product, as the API server defaults it. */
function managerOf(request: IncomingMessage, url: URL): string | undefined {
  return url.searchParams.get('fieldManager') ?? (request.headers['user-agent'] ?? '').split('/')[0] ?? undefined;
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const store = new KubeStore();
  if (options.version) store.setVersion(options.version);
  if (options.podTerminationMs !== undefined) store.runtime.terminationDelayMs = options.podTerminationMs;
  if (!options.emptyCluster) {
    for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) store.create(makeNamespace(name));
  }
  const portForwards = new PortForwardGateway(store);
  const execs = new ExecGateway(store.runtime);
  const lists = new ListSnapshots(store);
  const pending = new Set<NodeJS.Timeout>();
  const schedule = (task: () => void) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      task();
    }, options.namespaceTerminationMs ?? 50);
    pending.add(timer);
  };
  const directory = mkdtempSync(join(tmpdir(), 'kube-test-server-'));
  const certificates = options.tls ? testCertificates() : undefined;
  let serverAddress = '';

  const record = (request: IncomingMessage, url: URL, user?: string) => {
    const header = (name: string) => request.headers[name] as string | undefined;
    store.requests.push({
      method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams),
      contentType: header('content-type'), accept: header('accept'), userAgent: header('user-agent'),
      authorization: header('authorization'), user, protocols: header('sec-websocket-protocol'),
    });
    options.onRequest?.(store.requests[store.requests.length - 1]);
  };

  const answer = (response: ServerResponse, request: IncomingMessage, result: RestAnswer, type: ResourceType) => {
    if (result.kind === 'text') {
      response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(result.text) });
      response.end(result.text);
    } else if (result.kind === 'watch') {
      serveWatch(response, store, result.watch, options.bookmarkIntervalMs ?? 60_000);
    } else if (wantsTable(request.headers.accept) && result.status < 300) {
      sendJson(response, result.status, tableFor(result.body, type));
    } else {
      sendJson(response, result.status, result.body);
    }
  };

  const handler = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const auth = authenticate(request, options.auth);
    record(request, url, auth.ok ? auth.user : undefined);
    try {
      if (!auth.ok) {
        sendJson(response, 401, UNAUTHORIZED);
        return;
      }
      const segments = segmentsOf(url);
      const resourcePath = parseResourcePath(store, segments);
      if (!resourcePath) {
        const document = request.method === 'GET' ? discoveryDocument(segments, serverAddress, store) : undefined;
        if (document === undefined) throw unknownPath();
        sendJson(response, 200, document);
        return;
      }
      const method = request.method ?? 'GET';
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(request) : undefined;
      const result = handleResource({ store, lists, schedule }, {
        ...resourcePath, method, query: url.searchParams, contentType: request.headers['content-type'] ?? '', body, manager: managerOf(request, url),
      });
      answer(response, request, result, resourcePath.type);
    } catch (error) {
      const status = error instanceof StatusError ? error.status : error instanceof TypeNotServed ? unknownPath().status : internalError(error);
      if (!response.headersSent) sendJson(response, status.code, status);
      else response.end();
    }
  };

  const server: Server = certificates
    ? createHttpsServer({ key: certificates.serverKey, cert: certificates.serverCert, ca: certificates.caCert, requestCert: true, rejectUnauthorized: false }, handler)
    : createHttpServer(handler);

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const auth = authenticate(request, options.auth);
    record(request, url, auth.ok ? auth.user : undefined);
    try {
      if (!auth.ok) throw new StatusError(UNAUTHORIZED);
      const target = parseResourcePath(store, segmentsOf(url));
      if (!target || target.type.resource !== 'pods' || !['portforward', 'exec'].includes(target.subresource ?? '') || !target.name) {
        throw unknownPath();
      }
      const pod = store.mustFind(target.type, target.namespace ?? '', target.name);
      if (target.subresource === 'exec') execs.handle(request, socket, head, pod);
      else portForwards.handle(request, socket, head, pod);
    } catch (error) {
      rejectUpgrade(socket, error instanceof StatusError ? error.status : internalError(error));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  serverAddress = `127.0.0.1:${port}`;
  const url = `${certificates ? 'https' : 'http'}://${serverAddress}`;
  const controllerOptions = options.controllers === true ? {} : options.controllers || undefined;
  const controllers = controllerOptions ? new Controllers(store, controllerOptions) : undefined;
  controllers?.start();

  return {
    url,
    port,
    store,
    caCert: certificates?.caCert,
    controllers,
    kubeconfigPath: (contextName, kubeconfigOptions = {}) =>
      writeKubeconfig(directory, { url, caCert: certificates?.caCert }, { ...kubeconfigOptions, contextName }),
    async close() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      controllers?.close();
      store.runtime.close();
      store.dropWatches();
      portForwards.close();
      execs.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
