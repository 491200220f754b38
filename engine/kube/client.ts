// Kubernetes API clients for one environment (the session's KUBECONFIG and HOME) and context
// (--context, else the kubeconfig's current one), merged with kubectl's rules rather than
// client-node's loadFromDefault (which reads this process's environment and lets the last file's
// current-context win). Exec credential plugins run in the session's environment too
// (exec-credentials.ts). Clients are cached per run, keyed by what they were built from.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import type { RunObjects } from '../directives/run-objects.ts';
import { SessionExecAuthenticator } from './exec-credentials.ts';
import { kubeconfigFiles } from './kubeconfig.ts';

export interface KubeClients {
  kc: k8s.KubeConfig;
  context: string;
  server: string;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  version: k8s.VersionApi;
}

export class NoClusterError extends Error {}

export interface ClientSource {
  env: Record<string, string | undefined>;
  cwd?: string;
  kubeContext?: string;
  /** The run's shared objects; clients are cached there. */
  shared?: RunObjects;
}

/** A client-node KubeConfig merged from the files kubectl would read, set to the chosen context. */
export function loadKubeConfig(env: Record<string, string | undefined>, cwd = process.cwd(), kubeContext?: string): k8s.KubeConfig {
  const clusters: k8s.Cluster[] = [];
  const users: k8s.User[] = [];
  const contexts: k8s.Context[] = [];
  const userFiles = new Map<string, string>();
  let currentContext: string | undefined;
  const firstWins = <T extends { name: string }>(into: T[], items: T[], file?: string) => {
    for (const item of items) {
      if (into.some((i) => i.name === item.name)) continue;
      into.push(item);
      if (file) userFiles.set(item.name, file);
    }
  };
  for (const file of kubeconfigFiles(env, cwd)) {
    const part = new k8s.KubeConfig();
    try {
      part.loadFromFile(file, { onInvalidEntry: 'filter' }); // skip broken entries, as kubectl does
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new NoClusterError(`cannot read kubeconfig ${file}: ${(e as Error).message}`);
    }
    currentContext ||= part.getCurrentContext() || undefined;
    firstWins(clusters, part.getClusters());
    firstWins(users, part.getUsers(), file);
    firstWins(contexts, part.getContexts());
  }
  const kc = new k8s.KubeConfig();
  const exec = new SessionExecAuthenticator({ ...env, PWD: env.PWD ?? cwd });
  const chosen = kubeContext ?? currentContext ?? '';
  const server = (name: string) => clusters.find((c) => c.name === contexts.find((x) => x.user === name && x.name === chosen)?.cluster)?.server ?? '';
  const adopted = users.map((u) => exec.adopt(u, userFiles.get(u.name) ?? '', server(u.name)));
  kc.loadFromOptions({ clusters, users: adopted, contexts, currentContext: chosen });
  kc.addAuthenticator(exec);
  return kc;
}

/** What the credentials of a client may depend on: the session's variables, less those that change with every step. */
function credentialsFingerprint(env: Record<string, string | undefined>): string {
  const stable = Object.entries(env).filter(([k]) => !['PWD', 'OLDPWD', '_', 'SHLVL', 'RANDOM', 'LINENO', 'SECONDS'].includes(k)).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex').slice(0, 16);
}

export function kubeClients(source: ClientSource): KubeClients {
  const cwd = source.cwd ?? source.env.PWD ?? process.cwd();
  const files = kubeconfigFiles(source.env, cwd);
  const key = `${source.kubeContext ?? ''}:${files.map((f) => `${f}@${modified(f)}`).join(',')}:${credentialsFingerprint(source.env)}`;
  const cached = source.shared?.kubeClients.get(key);
  if (cached) return cached;
  const kc = loadKubeConfig(source.env, cwd, source.kubeContext);
  const context = kc.getCurrentContext();
  if (!context) throw new NoClusterError(`no kube context: the kubeconfig (${files.join(', ') || 'none'}) sets no current context`);
  if (!kc.getContextObject(context)) throw new NoClusterError(`kube context "${context}" is not defined in ${files.join(', ') || 'any kubeconfig'}`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new NoClusterError(`kube context "${context}" names a cluster that is not defined in the kubeconfig`);
  const clients: KubeClients = {
    kc,
    context,
    server: cluster.server,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    version: kc.makeApiClient(k8s.VersionApi),
  };
  source.shared?.kubeClients.set(key, clients);
  return clients;
}

/** Request options that abort the call with the signal (client-node has no per-call timeout of its own). */
export function abortable(signal: AbortSignal): k8s.ConfigurationOptions {
  // The object-parameter APIs take Observable middleware (client-node's small promise wrapper).
  const middleware: k8s.ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new k8s.Observable(Promise.resolve(context));
    },
    post: (response) => new k8s.Observable(Promise.resolve(response)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** A signal that aborts after `ms` or with `parent`, whichever comes first. */
export function deadline(ms: number, parent?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return parent ? AbortSignal.any([timeout, parent]) : timeout;
}

/** One line for an API failure: the Status message when the server sent one. */
export function apiErrorText(error: unknown): string {
  const e = error as { code?: number; body?: unknown; message?: string; name?: string };
  if (e?.name === 'AbortError' || /aborted/i.test(e?.message ?? '')) return 'the request was cut short (timeout)';
  if (typeof e?.code === 'number') {
    if (e.body !== undefined) {
      try {
        const status = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
        if (status?.message) return `${status.message} (HTTP ${e.code})`;
      } catch {
        /* not JSON */
      }
    }
    // Responses the API's spec describes (401, 403) come without a body: client-node puts the reason in its message.
    const reason = /^Message: (.+)$/m.exec(e.message ?? '')?.[1];
    return reason ? `${reason} (HTTP ${e.code})` : `HTTP ${e.code}`;
  }
  return (e?.message ?? String(error)).split('\n')[0];
}

function modified(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
