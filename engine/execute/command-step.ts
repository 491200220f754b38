// Runs one shell step in the session: `run` once, `verify` until it passes or its time runs out,
// `background` started and waited for (ready line or TCP port).
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import type { CommandStep } from '../model.ts';
import { matchers } from '../match/index.ts';
import { formatDuration } from '../read/duration.ts';
import type { Session, StepOutcome } from './session.ts';
import { asTerminalShows } from './terminal-text.ts';
import { groupAlive } from './processes.ts';
import { sleepUnlessAborted } from './abortable-sleep.ts';
import type { StepOutcomeFields, StepResult } from './results.ts';
import type { Redactor } from '../write/redact.ts';
import { readCaptureFd } from './session-files.ts';

export interface StepEnv {
  session: Session;
  signal: AbortSignal;
  defaultTimeoutMs: number;
  redact: Redactor;
  rootDir: string;
  onAttempt?: (attempt: number, detail?: string) => void;
}

type Partial = StepOutcomeFields;

/**
 * Output as a terminal shows it, with secrets masked — those of variables the step itself set
 * included. Expectations are matched against this text, so a `[REDACTED]` an expectation holds
 * (written by --update-expected) matches the masked secret run after run.
 */
function shownOutput(env: StepEnv, raw: string): string {
  env.redact.learn(env.session.secretValues());
  return env.redact(asTerminalShows(raw));
}

/** Judges one attempt: exit code and expected output. */
function judge(step: CommandStep, outcome: StepOutcome, output: string): { ok: boolean; diff?: string; message?: string } {
  if (outcome.timedOut) return { ok: false, message: 'timed out' };
  if (outcome.interrupted) return { ok: false, message: 'interrupted' };
  if (step.exit !== 'any' && outcome.exitCode !== step.exit) {
    return { ok: false, message: `exit code ${outcome.exitCode}, expected ${step.exit}` };
  }
  if (step.expect && !step.expect.todo) {
    const verdict = matchers[step.expect.match](step.expect.text, output);
    if (!verdict.ok) return { ok: false, diff: verdict.diff, message: `output does not match (${step.expect.match})` };
  }
  return { ok: true };
}

export async function runCommandStep(step: CommandStep, env: StepEnv): Promise<Partial> {
  if (step.kind === 'background') return startBackground(step, env);
  const startedAt = Date.now();
  const verify = step.kind === 'verify';
  const budget = step.timeoutMs ?? env.defaultTimeoutMs;
  const deadline = startedAt + budget;
  let attempts = 0;
  for (;;) {
    attempts++;
    env.onAttempt?.(attempts);
    const outcome = await env.session.run({
      script: step.code,
      source: step,
      timeoutMs: Math.max(1, deadline - Date.now()),
      stdoutOnly: step.streamStdoutOnly,
      cwd: step.cwd ? resolve(env.rootDir, step.cwd) : undefined, // cwd= is relative to the runbook
      signal: env.signal,
    });
    const output = shownOutput(env, outcome.output);
    const verdict = judge(step, outcome, output);
    const durationMs = Date.now() - startedAt;
    const base = { attempts, durationMs, startedAt: new Date(startedAt).toISOString(), exitCode: outcome.exitCode, output };
    if (verdict.ok) return { ...base, status: 'passed' };
    const outOfTime = outcome.timedOut || Date.now() + (step.intervalMs ?? 0) >= deadline;
    if (!verify || outOfTime || outcome.interrupted || env.signal.aborted) {
      const timedOut = outcome.timedOut || (verify && outOfTime && !outcome.interrupted);
      const message = timedOut
        ? `timed out after ${formatDuration(budget)}${verify ? ` (${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${verdict.message})` : ''}`
        : verdict.message;
      return {
        ...base,
        status: timedOut ? 'timedout' : 'failed',
        diff: verdict.diff ? env.redact(verdict.diff) : undefined,
        message,
        stderr: outcome.stderr ? env.redact(asTerminalShows(outcome.stderr)) : undefined,
      };
    }
    env.onAttempt?.(attempts, verdict.message);
    await sleepUnlessAborted(step.intervalMs ?? 2000, env.signal);
  }
}

async function startBackground(step: CommandStep, env: StepEnv): Promise<Partial> {
  const startedAt = Date.now();
  const handle = await env.session.startBackground(step.code, step.streamStdoutOnly, step);
  const budget = step.timeoutMs ?? env.defaultTimeoutMs;
  const deadline = startedAt + budget;
  const ready = step.ready ? new RegExp(step.ready, 'm') : undefined;
  // The output file is kept bounded by the session; only its last part is ever read.
  const read = () => {
    try {
      const fd = openSync(handle.outputFile, 'r');
      try {
        return asTerminalShows(env.session.located(readCaptureFd(fd, env.session.droppedBefore(handle.outputFile))));
      } finally {
        closeSync(fd);
      }
    } catch {
      return '';
    }
  };
  const result = (status: StepResult['status'], message?: string): Partial => ({
    status,
    attempts: 1,
    durationMs: Date.now() - startedAt,
    startedAt: new Date(startedAt).toISOString(),
    exitCode: null,
    output: env.redact(read()),
    message,
    processGroup: handle.pgid,
  });
  if (!ready && !step.port) return result('passed');
  let attempts = 0;
  while (!env.signal.aborted) {
    attempts++;
    if (ready && !ready.test(read())) {
      env.onAttempt?.(attempts, `waiting for a line matching /${step.ready}/`);
    } else if (step.port && !(await portOpen(step.port))) {
      env.onAttempt?.(attempts, `waiting for 127.0.0.1:${step.port}`);
    } else {
      return result('passed');
    }
    if (!groupAlive(handle.pgid)) return result('failed', 'the background process exited before it was ready');
    if (Date.now() >= deadline) return result('timedout', `timed out after ${formatDuration(budget)} waiting for it to be ready`);
    await sleepUnlessAborted(50, env.signal);
  }
  return result('failed', 'interrupted');
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}
