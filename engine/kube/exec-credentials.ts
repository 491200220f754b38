// Credentials from exec plugins (`users[].user.exec` in a kubeconfig: what `aws eks
// update-kubeconfig` writes) run the way kubectl runs them (client-go's exec credential provider,
// "client-go credential plugins" in the Kubernetes docs), but in the run's session environment:
// AWS_PROFILE or AWS_REGION set by --set, vars: or an `export` in a step reach the plugin, as they
// reach the kubectl a step runs. (client-node would run it with the engine's own environment.)
//
// - `command` with a path separator is relative to the kubeconfig file that defines the user;
//   a bare name is looked up on the session's PATH;
// - the plugin's environment is the session's, plus `env`, plus KUBERNETES_EXEC_INFO (an
//   ExecCredential whose spec says the session is not interactive);
// - it must print an ExecCredential of the same apiVersion with status.token (or a client
//   certificate); the credential is kept until its expirationTimestamp.
import { spawn } from 'node:child_process';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { KubeConfig, User } from '@kubernetes/client-node';

/** client-node's authenticator interface (not exported by name). */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];
type RequestOptions = Parameters<Authenticator['applyAuthentication']>[1];

export const SESSION_EXEC = 'runbook-session-exec';

/** The plugin could not give credentials: retrying the request will not help. */
export class CredentialError extends Error {}

export interface ExecSpec {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  apiVersion?: string;
  installHint?: string;
  interactiveMode?: string;
  provideClusterInfo?: boolean;
}

interface ExecCredential {
  apiVersion?: string;
  kind?: string;
  status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
}

/** How long a plugin may take (an SSO login prompt would wait forever: the session is not interactive). */
const PLUGIN_TIMEOUT_MS = 60_000;

export class SessionExecAuthenticator implements Authenticator {
  private cache = new Map<string, ExecCredential>();
  private running = new Map<string, Promise<ExecCredential>>();
  private specs = new Map<string, { exec: ExecSpec; file: string; server: string }>();

  constructor(private readonly env: Record<string, string | undefined>) {}

  /** Takes over a kubeconfig user's exec plugin; returns the user as client-node should see it. */
  adopt(user: User, file: string, server: string): User {
    const exec = (user as User & { exec?: ExecSpec }).exec;
    if (!exec?.command) return user;
    this.specs.set(user.name, { exec, file, server });
    return { ...user, exec: undefined, authProvider: { name: SESSION_EXEC, config: {} } } as User;
  }

  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === SESSION_EXEC;
  }

  async applyAuthentication(user: User, opts: RequestOptions): Promise<void> {
    const credential = await this.credential(user.name);
    const status = credential.status ?? {};
    if (status.clientCertificateData) (opts as { cert?: string }).cert = status.clientCertificateData;
    if (status.clientKeyData) (opts as { key?: string }).key = status.clientKeyData;
    if (status.token) opts.headers = { ...(opts.headers as Record<string, string>), Authorization: `Bearer ${status.token}` };
  }

  private async credential(name: string): Promise<ExecCredential> {
    const cached = this.cache.get(name);
    const expires = cached?.status?.expirationTimestamp;
    if (cached && (!expires || Date.parse(expires) > Date.now() + 10_000)) return cached;
    let running = this.running.get(name);
    if (!running) {
      running = this.runPlugin(name).finally(() => this.running.delete(name));
      this.running.set(name, running);
    }
    const credential = await running;
    this.cache.set(name, credential);
    return credential;
  }

  private runPlugin(userName: string): Promise<ExecCredential> {
    const found = this.specs.get(userName);
    if (!found) return Promise.reject(new CredentialError(`no exec plugin for user ${userName}`));
    const { exec, file, server } = found;
    const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1';
    if (exec.interactiveMode === 'Always') {
      return Promise.reject(new CredentialError(`the exec plugin ${exec.command} of user ${userName} (${file}) needs an interactive terminal (interactiveMode: Always), which a run does not have`));
    }
    const command = /[\\/]/.test(exec.command) && !isAbsolute(exec.command) ? resolve(dirname(file), exec.command) : exec.command;
    const info = { apiVersion, kind: 'ExecCredential', spec: { interactive: false, ...(exec.provideClusterInfo ? { cluster: { server } } : {}) } };
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.env)) if (v !== undefined) env[k] = v;
    for (const { name, value } of exec.env ?? []) env[name] = value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify(info);
    return new Promise((resolvePromise, reject) => {
      const child = spawn(command, exec.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: env.PWD });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), PLUGIN_TIMEOUT_MS);
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const hint = exec.installHint ? `; ${exec.installHint.trim()}` : '';
        reject(new CredentialError(e.code === 'ENOENT' ? `the exec credential plugin "${exec.command}" of user ${userName} is not on the session's PATH${hint}` : `exec plugin ${exec.command}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code !== 0) {
          const why = signal ? `was killed (${signal}) after ${PLUGIN_TIMEOUT_MS / 1000}s` : `exited with ${code}`;
          reject(new CredentialError(`the exec credential plugin ${exec.command} of user ${userName} ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`));
          return;
        }
        try {
          const credential = JSON.parse(stdout) as ExecCredential;
          if (credential.kind !== 'ExecCredential' || credential.apiVersion !== apiVersion) {
            throw new Error(`printed ${credential.kind ?? 'something'} ${credential.apiVersion ?? ''}, not an ExecCredential of ${apiVersion}`);
          }
          if (!credential.status?.token && !credential.status?.clientCertificateData) throw new Error('printed an ExecCredential without a token or client certificate');
          resolvePromise(credential);
        } catch (e) {
          reject(new CredentialError(`the exec credential plugin ${exec.command} of user ${userName} ${(e as Error).message.startsWith('printed') ? (e as Error).message : `printed no valid ExecCredential JSON (${(e as Error).message})`}`));
        }
      });
    });
  }
}
