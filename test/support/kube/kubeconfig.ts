// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Kubeconfigs pointing at the test server, in the shapes real tools write them:
// - plain http with insecure-skip-tls-verify and a bearer token (the default; client-node refuses
//   http: without the flag);
// - what `kind` writes: https, certificate-authority-data, client-certificate-data, client-key-data;
// - what `aws eks update-kubeconfig` writes: https with the CA, and a user whose credentials come
//   from an exec plugin (client.authentication.k8s.io/v1beta1, command, args, env).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface ExecPlugin {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  apiVersion?: string;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  provideClusterInfo?: boolean;
}

export interface KubeconfigOptions {
  /** Context (and cluster and user) name; kind names its contexts "kind-<cluster>". */
  contextName?: string;
  /** Default namespace of the context. */
  namespace?: string;
  /** How the user authenticates (default: the test token). */
  user?: { token: string } | { clientCertificate: { cert: string; key: string } } | { exec: ExecPlugin };
}

export interface ServerIdentity {
  url: string;
  /** PEM of the CA that signed the server's certificate (https servers). */
  caCert?: string;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

export function writeKubeconfig(directory: string, server: ServerIdentity, options: KubeconfigOptions = {}): string {
  const name = options.contextName ?? 'kind-kube-test-server';
  const cluster = server.caCert
    ? { server: server.url, 'certificate-authority-data': base64(server.caCert) }
    : { server: server.url, 'insecure-skip-tls-verify': true };
  const user = options.user ?? { token: 'kube-test-server-token' };
  const userEntry = 'token' in user ? { token: user.token }
    : 'clientCertificate' in user ? { 'client-certificate-data': base64(user.clientCertificate.cert), 'client-key-data': base64(user.clientCertificate.key) }
      : { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'IfAvailable', provideClusterInfo: false, ...user.exec } };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name, cluster }],
    users: [{ name, user: userEntry }],
    contexts: [{ name, context: { cluster: name, user: name, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': name,
  };
  const path = join(directory, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}${options.namespace ? `-${options.namespace}` : ''}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
