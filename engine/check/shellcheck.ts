// Runs shellcheck (when installed) over every shell step, mapping its findings back to the step's
// file:line. Steps are linted in chunks by several shellcheck processes at once, without blocking
// the other checks, and each step's findings are cached by a hash of its code (.runbook/cache/),
// so a second check lints only the steps that changed. Variables set by earlier steps look
// unassigned to shellcheck, so those warnings are off.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Runbook, CommandStep } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { which } from '../commands/preflight.ts';
import type { CheckFindings } from './types.ts';
import { CheckCache, hashOf } from './cache.ts';

const EXCLUDED = ['SC2154', 'SC2034', 'SC1090', 'SC1091', 'SC2164', 'SC2155', 'SC2016'];
const ARGS = ['-s', 'bash', '-f', 'json', '-S', 'warning', '-e', EXCLUDED.join(','), '-'];
/** A chunk is at most this many steps or this much code: bounded memory, and work for every core. */
const CHUNK_STEPS = 500;
const CHUNK_BYTES = 256 * 1024;

interface Finding {
  line: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
}

/** A finding of one step, its line counted from the step's first code line (0-based). */
interface StepFinding {
  rel: number;
  level: Finding['level'];
  code: number;
  message: string;
}

export async function checkShell(runbook: Runbook): Promise<CheckFindings> {
  const findings: CheckFindings = { errors: [], warnings: [] };
  if (!which('shellcheck')) {
    findings.warnings.push('shellcheck is not installed; shell steps were not linted (Debian: apt-get install shellcheck; macOS: brew install shellcheck)');
    return findings;
  }
  // Nothing is awaited before the first chunks are spawned: shellcheck then runs beside the
  // manifest check, which holds this thread while the type checker works.
  const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.error || version.status !== 0) {
    findings.warnings.push(`shellcheck could not run: ${version.error?.message ?? version.stderr.trim()}`);
    return findings;
  }
  const steps = runbook.steps.filter((s): s is CommandStep => s.type === 'command' && s.kind !== 'skip' && ['bash', 'sh', 'shell', ''].includes(s.lang));
  const cache = new CheckCache<StepFinding[]>(runbook.root, 'shellcheck');
  const keyOf = (step: CommandStep) => hashOf(version.stdout, ARGS.join(' '), step.code);
  const results = new Map<CommandStep, StepFinding[]>();
  const misses: CommandStep[] = [];
  for (const step of steps) {
    const cached = cache.get(keyOf(step));
    if (cached) results.set(step, cached);
    else misses.push(step);
  }

  let failure: string | undefined;
  await pool(chunks(misses), availableParallelism(), async (chunk) => {
    const linted = await lintFindingEveryError(chunk);
    if ('failed' in linted) {
      failure ??= linted.failed;
      return;
    }
    for (const [step, found] of linted) {
      results.set(step, found);
      cache.set(keyOf(step), found);
    }
  });
  if (failure) {
    findings.warnings.push(`shellcheck could not run: ${failure}`);
    return findings;
  }
  cache.save();

  for (const step of steps) {
    for (const f of results.get(step) ?? []) {
      const line = step.position.line + f.rel + 1;
      const text = `SC${f.code}: ${f.message} (step ${step.id})`;
      if (f.level === 'error') findings.errors.push(new RunbookError(text, { file: step.position.file, line }, undefined, `See https://www.shellcheck.net/wiki/SC${f.code}`));
      else findings.warnings.push(`${step.position.file}:${line}: ${text}`);
    }
  }
  return findings;
}

function chunks(steps: CommandStep[]): CommandStep[][] {
  const out: CommandStep[][] = [];
  let current: CommandStep[] = [];
  let bytes = 0;
  for (const step of steps) {
    if (current.length && (current.length >= CHUNK_STEPS || bytes + step.code.length > CHUNK_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(step);
    bytes += step.code.length;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * A syntax error stops shellcheck for the rest of its input, so a chunk with one is split in
 * halves until every step with an error stands alone: each problem is found at its step, at the
 * cost of a few more processes for that chunk only.
 */
async function lintFindingEveryError(steps: CommandStep[]): Promise<Map<CommandStep, StepFinding[]> | { failed: string }> {
  const linted = await lint(steps);
  if ('failed' in linted) return linted;
  const syntaxError = [...linted.values()].some((fs) => fs.some((f) => f.code < 2000 && f.level === 'error'));
  if (!syntaxError || steps.length === 1) return linted;
  const half = steps.length >> 1;
  const [first, second] = await Promise.all([lintFindingEveryError(steps.slice(0, half)), lintFindingEveryError(steps.slice(half))]);
  if ('failed' in first) return first;
  if ('failed' in second) return second;
  return new Map([...first, ...second]);
}

/** Lints steps as one script and hands each step its findings, lines relative to the step. */
async function lint(steps: CommandStep[]): Promise<Map<CommandStep, StepFinding[]> | { failed: string }> {
  const lines: string[] = ['#!/usr/bin/env bash'];
  const owner: { step: CommandStep; firstLine: number }[] = [];
  for (const step of steps) {
    owner.push({ step, firstLine: lines.length + 1 });
    lines.push(...step.code.split('\n'));
    lines.push(':'); // keeps a step ending in `\` from continuing into the next
  }
  const result = await run(ARGS, lines.join('\n') + '\n');
  if ('failed' in result) return result;
  const byStep = new Map<CommandStep, StepFinding[]>(steps.map((s) => [s, []]));
  let parsed: Finding[];
  try {
    parsed = JSON.parse(result.stdout || '[]') as Finding[];
  } catch {
    return { failed: `unexpected output: ${result.stdout.slice(0, 200)}` };
  }
  for (const finding of parsed) {
    // owner is ordered by firstLine: the last one starting at or before the finding owns it
    let lo = 0;
    let hi = owner.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (owner[mid].firstLine <= finding.line) lo = mid;
      else hi = mid - 1;
    }
    const o = owner[lo];
    if (o && o.firstLine <= finding.line) {
      byStep.get(o.step)!.push({ rel: finding.line - o.firstLine, level: finding.level, code: finding.code, message: finding.message });
    }
  }
  return byStep;
}

/** One shellcheck process; exit 1 means "found something", which is not a failure. */
function run(args: string[], input?: string): Promise<{ stdout: string } | { failed: string }> {
  return new Promise((resolve) => {
    const child = spawn('shellcheck', args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('error', (e) => resolve({ failed: e.message }));
    child.on('close', (code, signal) => {
      if (code === 0 || code === 1) resolve({ stdout: Buffer.concat(out).toString('utf8') });
      else resolve({ failed: signal ? `killed by ${signal}` : err.trim() || `exit ${code}` });
    });
    child.stdin.on('error', () => {}); // an early exit closes stdin; the close handler reports it
    child.stdin.end(input ?? '');
  });
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
