// Prerequisites of the cluster targets beyond "the tool is on PATH": kind needs a running Docker
// daemon, eksctl needs AWS credentials that work. Each check runs the tool once with a short
// timeout, so a run stops within seconds instead of half-way through building a cluster.
import { execFile } from 'node:child_process';

export interface ToolCheck {
  ok: boolean;
  /** What was found (ok) or what is wrong (not ok), in one line. */
  detail: string;
}

const DOCKER_TIMEOUT_MS = 4000;
const AWS_TIMEOUT_MS = 8000;

function runTool(command: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL', env }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) || (e?.message ?? ''), timedOut: Boolean(e?.killed) });
    });
  });
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  );
}

/** `env`: the session's (DOCKER_HOST, DOCKER_CONTEXT set with --set or vars: count). */
export async function dockerDaemon(env?: NodeJS.ProcessEnv): Promise<ToolCheck> {
  const result = await runTool('docker', ['info', '--format', '{{.ServerVersion}}'], DOCKER_TIMEOUT_MS, env);
  if (result.code === 0 && result.stdout.trim()) return { ok: true, detail: `Docker daemon ${result.stdout.trim()}` };
  if (result.timedOut) return { ok: false, detail: `docker info did not answer within ${DOCKER_TIMEOUT_MS / 1000}s` };
  return { ok: false, detail: firstLine(result.stderr) || firstLine(result.stdout) || `docker info exited with ${result.code}` };
}

/** `env`: the session's (AWS_PROFILE, AWS_REGION set with --set or vars: count). */
export async function awsCredentials(env?: NodeJS.ProcessEnv): Promise<ToolCheck> {
  const result = await runTool('aws', ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], AWS_TIMEOUT_MS, env);
  if (result.code === 0) return { ok: true, detail: 'AWS credentials work (aws sts get-caller-identity)' };
  if (result.timedOut) return { ok: false, detail: `aws sts get-caller-identity did not answer within ${AWS_TIMEOUT_MS / 1000}s (no network, or a hanging credential process)` };
  return { ok: false, detail: firstLine(result.stderr) || `aws sts get-caller-identity exited with ${result.code}` };
}

export const DOCKER_FIX = 'start Docker (Docker Desktop, or on Linux: sudo systemctl start docker) and check with: docker info';
export const AWS_FIX = 'configure credentials (aws configure, aws sso login, or AWS_PROFILE=NAME), then check with: aws sts get-caller-identity';
