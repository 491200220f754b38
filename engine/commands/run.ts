// `runbook run`: load, plan, check prerequisites, execute, write back, report.
import { relative, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { Runbook } from '../model.ts';
import { EXIT, RunbookError } from '../errors.ts';
import { makePlan, type Plan } from '../plan.ts';
import { parseShard } from '../chapters/shard.ts';
import { readDurations } from '../report/read-json.ts';
import { describeShard } from './shard-plan.ts';
import { executePlan } from '../execute/runner.ts';
import { StateStore, type SavedState } from '../execute/state.ts';
import { checkResume } from '../execute/resume.ts';
import { unusedSetWarnings } from './set-names.ts';
import type { Session } from '../execute/session.ts';
import type { Reporter } from '../progress/reporter.ts';
import { PlainReporter } from '../progress/plain.ts';
import { TtyReporter } from '../progress/tty.ts';
import { colorWanted, makeStyle } from '../progress/style.ts';
import { writeBack } from '../write/writeback.ts';
import { recordCapture } from '../render/provenance.ts';
import { checkReportPaths, writeReports } from '../report/index.ts';
import { PREFLIGHT_CHECKS } from './preflight.ts';
import { kubernetesHooks } from '../kube/hooks.ts';
import { createContextOverlay } from '../kube/context-overlay.ts';
import { load } from './load.ts';
import { favourMemoryOverHeapGrowth } from './run-memory.ts';

export interface RunCommandOptions {
  target?: string;
  context?: string;
  set: string[];
  from?: string;
  until?: string;
  only?: string[];
  tags?: string[];
  keepGoing?: boolean;
  write?: boolean;
  updateExpected?: boolean;
  report: string[];
  dryRun?: boolean;
  workdir?: string;
  shard?: string;
  durations?: string;
  interactive?: boolean;
  shellOnFailure?: boolean;
  verbose?: boolean;
  allowEmpty?: boolean;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

export function parseSets(sets: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    const name = eq > 0 ? s.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new RunbookError(`--set ${s}: expected NAME=VALUE`, undefined, undefined, 'Example: --set ISTIO_VERSION=1.31.1');
    }
    out[name] = s.slice(eq + 1);
  }
  return out;
}

export function chooseReporter(verbose = false, steered = false): Reporter {
  const stream = process.stdout;
  // A person at the keyboard gets the terminal view even where CI is set in the environment.
  if (stream.isTTY && (!process.env.CI || steered)) return new TtyReporter(stream, makeStyle(colorWanted(stream)), verbose);
  return new PlainReporter((t) => process.stdout.write(t), makeStyle(colorWanted(stream) && !process.env.CI), verbose);
}

/** --interactive and --shell-on-failure read keys: without a terminal they would wait for ever. */
function checkTerminal(options: RunCommandOptions): void {
  const flag = options.interactive ? '--interactive' : options.shellOnFailure ? '--shell-on-failure' : undefined;
  if (!flag || options.dryRun) return;
  const missing = [!process.stdin.isTTY && 'stdin', !process.stdout.isTTY && 'stdout'].filter(Boolean);
  if (missing.length) {
    throw new RunbookError(
      `${flag} needs a terminal, but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not one here; nothing was run`,
      undefined,
      undefined,
      `${flag} waits for keys. Run it from a terminal; in CI or a pipe run without it (and use --from to resume after a failure).`,
    );
  }
}

/** What a run calls the runbook: its title, else its path as the user would type it. */
export function displayName(runbook: Runbook): string {
  return runbook.settings.title ?? (relative(process.cwd(), runbook.path) || runbook.path);
}

export function printPlan(runbook: Runbook, plan: Plan, write: (t: string) => void): void {
  write(`plan for ${displayName(runbook)}${plan.target ? ` on target ${plan.target.name}` : ''}:\n`);
  const row = (n: string, kind: string, id: string, targets: string[], where: string, note = '') =>
    write(`${n.padStart(4)}  ${kind.padEnd(22)} ${id.padEnd(44)} ${(targets.join(',') || 'all').padEnd(10)} ${where}${note}\n`);
  plan.steps.forEach(({ step, skipReason }, i) =>
    row(`${i + 1}`, step.type === 'directive' ? `${step.verb}${step.args[0] ? ' ' + step.args[0] : ''}` : step.kind, step.id, step.targets, `${step.position.file}:${step.position.line}`, skipReason ? `  (skip: ${skipReason})` : ''),
  );
  for (const step of plan.cleanup) row('end', 'cleanup', step.id, step.targets, `${step.position.file}:${step.position.line}`);
  write(`${plan.steps.length} steps, ${plan.cleanup.length} cleanup steps; nothing was run (--dry-run)\n`);
}

export async function runCommand(path: string | undefined, options: RunCommandOptions): Promise<number> {
  favourMemoryOverHeapGrowth(); // before the runbook is read: reading a large one is the first peak
  checkTerminal(options);
  const runbook = load(path, options);
  const sets = parseSets(options.set);
  checkReportPaths(options.report);
  if (options.updateExpected && !options.write) throw new RunbookError('--update-expected needs --write', undefined, undefined, 'Add --write to rewrite blocks in the sources.');
  if (options.durations && !options.shard) throw new RunbookError('--durations needs --shard', undefined, undefined, 'It balances shards by an earlier report: --shard 1/3 --durations last.json.');
  if (options.shard && options.write) {
    throw new RunbookError('--write does not go with --shard', undefined, undefined, 'Write back once from all shards: runbook report merge shard*.json -o merged.json, then runbook write --from-report merged.json.');
  }
  const shard = options.shard ? parseShard(options.shard) : undefined;
  const durations = options.durations ? readDurations(options.durations) : undefined;
  const plan = makePlan(runbook, {
    target: options.target,
    from: options.from,
    until: options.until,
    only: options.only,
    tags: options.tags,
    vars: { ...runbook.settings.vars, ...sets },
    shard,
    durations,
  });
  for (const warning of unusedSetWarnings(sets, runbook, process.env)) process.stderr.write(`runbook: warning: ${warning}\n`);
  const sessionEnv = { ...process.env, ...runbook.settings.vars, ...sets };
  const limited = Boolean(options.from || options.until || options.only?.length || options.tags?.length); // only part of the runbook runs
  const resume = options.from ? loadResume(runbook, plan, options.from, sessionEnv) : undefined;
  const workdir = resolve(options.workdir ?? process.cwd());
  if (!statSync(workdir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new RunbookError(`--workdir ${options.workdir}: not a directory`, undefined, undefined, 'Give an existing directory for the first step to start in.');
  }
  if (options.dryRun) {
    if (plan.shard) process.stdout.write(describeShard(plan.shard));
    printPlan(runbook, plan, (t) => process.stdout.write(t));
    return EXIT.ok;
  }

  const problems = (await Promise.all(PREFLIGHT_CHECKS.map((check) => check(runbook, plan.target, { kubeContext: options.context, plan, env: sessionEnv })))).flat();
  if (problems.length) {
    process.stderr.write(`runbook: cannot start${plan.target ? ` on target ${plan.target.name}` : ''}; nothing was run:\n`);
    for (const p of problems) process.stderr.write(`  ✖ ${p.what}\n    → ${p.fix}\n`);
    process.stderr.write(`Check again with: runbook doctor${plan.target ? ` --target ${plan.target.name}` : ''}\n`);
    return EXIT.usage;
  }

  // --context NAME: the session gets a run-scoped kubeconfig selecting NAME (see kube/context-overlay.ts).
  const overlay = options.context ? createContextOverlay(options.context, process.env) : undefined;
  // A shard's steps can tell which shard they are in (RUNBOOK_SHARD=2/3).
  const env = plan.shard ? { ...(overlay?.env ?? process.env), RUNBOOK_SHARD: `${plan.shard.spec.index}/${plan.shard.spec.count}` } : overlay?.env;
  const steered = Boolean(options.interactive || options.shellOnFailure);
  const reporter = chooseReporter(Boolean(options.verbose), steered);
  // Loaded only for a steered run: a run in CI never pays for the terminal side.
  const control = steered
    ? new (await import('../interactive/control.ts')).TerminalControl({ interactive: Boolean(options.interactive), input: process.stdin, output: process.stdout, style: makeStyle(colorWanted(process.stdout)), reporter, keepGoing: Boolean(options.keepGoing) })
    : undefined;
  const soft = new AbortController();
  const hard = new AbortController();
  let session: Session | undefined;
  // Ctrl-C, SIGTERM and a closed terminal (SIGHUP) stop the current step and run cleanup; a
  // second one cuts cleanup short. SIGQUIT stops at once. None of them leaves a process behind.
  const onSignal = (signal: NodeJS.Signals) => {
    // Steered runs: Ctrl-C ends only the running step (the person chooses what next), and never
    // reaches the run while the in-session shell is open.
    if (signal === 'SIGINT' && control?.takeInterrupt()) return;
    if (signal !== 'SIGQUIT' && !soft.signal.aborted) {
      reporter.note(`${signal}: stopping the current step, then running cleanup (again to skip cleanup)`);
      soft.abort();
    } else {
      soft.abort();
      hard.abort();
    }
    control?.abort();
  };
  const killAll = () => session?.killNow();
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  process.on('exit', killAll);

  try {
    if (plan.shard) reporter.note(describeShard(plan.shard).trimEnd());
    reporter.runStart({ title: displayName(runbook), target: plan.target?.name, total: plan.steps.length + plan.cleanup.length, cleanup: plan.cleanup.length });
    const result = await executePlan(runbook, plan, {
      workdir,
      sets,
      keepGoing: Boolean(options.keepGoing),
      resume,
      control,
      kubeContext: options.context,
      reporter,
      signal: soft.signal,
      hardSignal: hard.signal,
      onSession: (s) => (session = s),
      env,
      // The kube context guard, the leftovers check, failure diagnostics and cluster facts.
      hooks: kubernetesHooks({ leftovers: runbook.settings.leftovers }),
    });
    result.notes.push(...(overlay?.close() ?? []));

    let refused = false;
    let drift;
    if (options.write) {
      const outcome = writeBack(runbook, result.steps, { updateExpected: Boolean(options.updateExpected) });
      drift = outcome.changes;
      for (const change of outcome.changes) {
        process.stdout.write(`updated ${change.kind} of ${change.stepId} at ${change.file}:${change.line}\n${indentDiff(change.diff)}\n`);
      }
      if (outcome.refused.length) result.writeRefused = outcome.refused.length;
      for (const r of outcome.refused) {
        refused = true;
        const msg = `not written: ${r.file}: ${r.reason}`;
        result.notes.push(msg);
        process.stderr.write(`runbook: ${msg}\n`);
      }
      // Provenance for the rendered docs (engine/render/provenance.ts): when, where, which versions.
      // Steps a person skipped also leave outputs from an earlier run.
      const recorded = refused ? undefined : recordCapture(runbook, result, { partial: limited || result.steps.some((r) => r.manual?.skipped) });
      if (recorded) process.stdout.write(`recorded the capture in ${relative(process.cwd(), recorded)} (run \`runbook render ${relative(process.cwd(), runbook.path) || '.'}\` to update the rendered docs)\n`);
    }
    await writeReports(options.report, result, { drift, runbook: runbook.path, record: { runbook, workdir, plan, partial: limited } });
    reporter.runEnd(result);
    if (result.status === 'interrupted') return EXIT.interrupted;
    if (result.refused) return EXIT.usage;
    return result.status === 'failed' || refused ? EXIT.failed : EXIT.ok;
  } finally {
    control?.close();
    overlay?.close();
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    process.off('exit', killAll);
  }
}

/** The saved state to resume from, checked against the runbook as it is now (exit 2 if it does not fit). */
function loadResume(runbook: Runbook, plan: Plan, from: string, sessionEnv: NodeJS.ProcessEnv): SavedState {
  const store = new StateStore(runbook.root, runbook.path);
  const saved = store.load(from);
  if (!saved) {
    throw new RunbookError(
      `--from ${from}: no saved session state for this step`,
      undefined,
      undefined,
      'The steps before it have not run yet (state is saved in .runbook/state/ beside the runbook); run once without --from, or with --until the step before it.',
    );
  }
  checkResume(runbook, plan.main, saved, sessionEnv, store);
  return saved;
}

/** A write-back diff for the terminal, without the patch's header noise. */
export function indentDiff(diff: string): string {
  return diff
    .split('\n')
    .filter((l) => !l.startsWith('====') && !l.startsWith('Index:'))
    .map((l) => `  ${l}`)
    .join('\n');
}
