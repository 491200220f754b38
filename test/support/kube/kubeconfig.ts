// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// A kubeconfig pointing at the test server: plain http, insecure-skip-tls-verify (client-node refuses
// http: without it), and a bearer token the server accepts without checking.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** Context (and cluster and user) name; kind names its contexts "kind-<cluster>". */
  contextName?: string;
  /** Default namespace of the context. */
  namespace?: string;
}

export function writeKubeconfig(directory: string, serverUrl: string, options: KubeconfigOptions = {}): string {
  const name = options.contextName ?? 'kind-kube-test-server';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name, cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: { token: 'kube-test-server-token' } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': name,
  };
  const path = join(directory, `${name}${options.namespace ? `-${options.namespace}` : ''}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
