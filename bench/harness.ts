// How every benchmark measures: alternated A/B pairs in one run (A B, B A, A B, …), so the noise
// of this shared machine falls on both sides alike; medians of wall time with CPU time (user +
// system, the process and the children it waited for) beside it, and peak memory for whole
// processes. A goal is judged on the medians of this run only.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Peak resident memory of the process tree's largest process (whole-process runners only). */
  maxRssMb?: number;
}

/** Something to time once; it throws when what it ran did not do its job. */
export type Runner = () => Promise<Sample>;

/**
 * What a case must reach. `ratio`: median wall of A / median wall of B at most (or, with
 * better: 'higher', at least) `value`; `wall`/`rss`: A's median wall time (ms) / peak memory (MB)
 * at most `value`; `perItem`: (A − B) / items at most `value` ms.
 */
export type Goal =
  | { kind: 'ratio'; value: number; better?: 'lower' | 'higher' }
  | { kind: 'wall'; value: number }
  | { kind: 'rss'; value: number }
  | { kind: 'perItem'; value: number; items: number; unit: string };

export interface Case {
  name: string;
  a: { label: string; run: Runner };
  /** The side A is compared with; for absolute goals a reference such as `node -e 0`. */
  b: { label: string; run: Runner };
  goals: Goal[];
  pairs?: number;
  /** Set up before the first pair and torn down after the last. */
  setup?: () => Promise<void> | void;
  teardown?: () => Promise<void> | void;
}

export interface CaseResult {
  name: string;
  a: { label: string; wallMs: number; cpuMs: number; maxRssMb?: number };
  b: { label: string; wallMs: number; cpuMs: number; maxRssMb?: number };
  pairs: number;
  verdicts: { text: string; ok: boolean }[];
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Times `fn` in this process: wall and this process's CPU. */
export function inProcess(fn: () => Promise<unknown> | unknown): Runner {
  return async () => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    await fn();
    const wallMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    return { wallMs, cpuMs: (used.user + used.system) / 1000 };
  };
}

// A child is started through python's os.wait4, which reports the CPU time of the child and of
// everything it waited for, and its peak memory: numbers Node does not give for a child process.
const RUSAGE = `
import os, sys, time, json
t = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = (time.monotonic() - t) * 1000
os.write(3, json.dumps({"wallMs": wall, "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000, "maxRssMb": ru.ru_maxrss / 1024, "status": os.waitstatus_to_exitcode(status)}).encode())
`;

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that count as the command doing its job (default [0]). */
  okCodes?: number[];
}

/** Times a whole process (cold start included). */
export function wholeProcess(command: string, args: string[], options: ProcessOptions = {}): Runner {
  return () =>
    new Promise((resolve, reject) => {
      const child = spawn('python3', ['-c', RUSAGE, command, ...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let report = '';
      child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (d) => (report += d));
      child.on('error', reject);
      child.on('close', () => {
        try {
          const r = JSON.parse(report) as Sample & { status: number };
          if (!(options.okCodes ?? [0]).includes(r.status)) reject(new Error(`${command} ${args.join(' ')} exited ${r.status}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
          else resolve({ wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssMb: r.maxRssMb });
        } catch {
          reject(new Error(`could not time ${command}: ${stderr.trim() || 'no report'}`));
        }
      });
    });
}

/** Runs the pairs of one case and judges its goals. */
export async function measure(c: Case): Promise<CaseResult> {
  const pairs = c.pairs ?? 5;
  const a: Sample[] = [];
  const b: Sample[] = [];
  await c.setup?.();
  try {
    for (let i = 0; i < pairs; i++) {
      // Alternate which side goes first, so a warming cache or a drifting load favours neither.
      if (i % 2 === 0) {
        a.push(await c.a.run());
        b.push(await c.b.run());
      } else {
        b.push(await c.b.run());
        a.push(await c.a.run());
      }
    }
  } finally {
    await c.teardown?.();
  }
  const summary = (label: string, s: Sample[]) => ({
    label,
    wallMs: median(s.map((x) => x.wallMs)),
    cpuMs: median(s.map((x) => x.cpuMs)),
    maxRssMb: s.every((x) => x.maxRssMb !== undefined) ? Math.max(...s.map((x) => x.maxRssMb!)) : undefined,
  });
  const A = summary(c.a.label, a);
  const B = summary(c.b.label, b);
  return { name: c.name, a: A, b: B, pairs, verdicts: c.goals.map((g) => judge(g, A, B)) };
}

function judge(goal: Goal, a: CaseResult['a'], b: CaseResult['b']): { text: string; ok: boolean } {
  switch (goal.kind) {
    case 'ratio': {
      const ratio = a.wallMs / b.wallMs;
      if (goal.better === 'higher') {
        const speedUp = b.wallMs / a.wallMs;
        return { ok: speedUp >= goal.value, text: `A is ${speedUp.toFixed(2)}× faster than B (goal ≥ ${goal.value}×)` };
      }
      return { ok: ratio <= goal.value, text: `A / B = ${ratio.toFixed(2)}× (goal ≤ ${goal.value}×)` };
    }
    case 'wall':
      return { ok: a.wallMs <= goal.value, text: `A takes ${fmtMs(a.wallMs)} (goal ≤ ${fmtMs(goal.value)})` };
    case 'rss':
      return a.maxRssMb === undefined
        ? { ok: false, text: 'no memory figure (not a whole process)' }
        : { ok: a.maxRssMb <= goal.value, text: `A peaks at ${a.maxRssMb.toFixed(0)} MB (goal ≤ ${goal.value} MB)` };
    case 'perItem': {
      const per = (a.wallMs - b.wallMs) / goal.items;
      return { ok: per <= goal.value, text: `(A − B) / ${goal.items} ${goal.unit} = ${per.toFixed(3)} ms (goal ≤ ${goal.value} ms)` };
    }
  }
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

export function formatResult(r: CaseResult): string {
  const side = (tag: string, s: CaseResult['a']) =>
    `    ${tag} ${s.label.padEnd(58)} wall ${fmtMs(s.wallMs).padStart(9)}  cpu ${fmtMs(s.cpuMs).padStart(9)}${s.maxRssMb !== undefined ? `  peak ${s.maxRssMb.toFixed(0).padStart(5)} MB` : ''}`;
  return [
    `  ${r.name} (${r.pairs} alternated pairs, medians)`,
    side('A', r.a),
    side('B', r.b),
    ...r.verdicts.map((v) => `    ${v.ok ? 'ok  ' : 'MISS'} ${v.text}`),
  ].join('\n');
}

/** Runs a process that times its own work and prints `{"wallMs":…,"cpuMs":…}` as its last line. */
export function reportedBy(command: string, args: string[], options: ProcessOptions = {}): Runner {
  return () =>
    new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
      child.on('error', reject);
      child.on('close', (code) => {
        const last = out.trim().split('\n').pop() ?? '';
        try {
          if (code !== 0) throw new Error();
          const r = JSON.parse(last) as Sample;
          resolve({ wallMs: r.wallMs, cpuMs: r.cpuMs });
        } catch {
          reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${(err || out).trim().split('\n').slice(-5).join('\n')}`));
        }
      });
    });
}
