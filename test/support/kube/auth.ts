// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Authentication the way the API server's authenticators decide who a request is ("Authenticating"
// in the Kubernetes docs): a bearer token the server knows, or a client certificate signed by the
// cluster CA (user = CN, groups = O). A request with neither gets 401 Unauthorized. Without auth
// options every request is accepted, as before.

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { StatusObject } from './status.ts';

export interface AuthOptions {
  /** Bearer tokens the server accepts, each with the user it authenticates. */
  tokens?: Record<string, string>;
  /** Accept client certificates signed by the test CA (needs tls). */
  clientCertificates?: boolean;
}

export type Authentication = { ok: true; user?: string } | { ok: false };

export function authenticate(request: IncomingMessage, options: AuthOptions | undefined): Authentication {
  if (!options) return { ok: true };
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer && options.tokens?.[bearer]) return { ok: true, user: options.tokens[bearer] };
  const socket = request.socket as TLSSocket;
  if (options.clientCertificates && socket.authorized) {
    const subject = socket.getPeerCertificate?.()?.subject;
    if (subject?.CN) return { ok: true, user: String(subject.CN) };
  }
  return { ok: false };
}

export const UNAUTHORIZED: StatusObject = {
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401,
};
