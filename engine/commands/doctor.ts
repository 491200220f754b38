// `runbook doctor`: the run's preflight checks, for every target (or the one asked for), showing
// what was found and, for each problem, what to do about it.
import { EXIT } from '../errors.ts';
import { chooseTarget, makePlan } from '../plan.ts';
import { PREFLIGHT_CHECKS, which } from './preflight.ts';
import { load } from './load.ts';
import { parseSets } from './run.ts';

export async function doctorCommand(path: string | undefined, options: { target?: string; context?: string; set?: string[] }): Promise<number> {
  const runbook = load(path, { allowEmpty: true });
  const vars = { ...runbook.settings.vars, ...parseSets(options.set ?? []) };
  const targets = options.target ? [chooseTarget(runbook, options.target)!] : runbook.settings.targets.length ? runbook.settings.targets : [undefined];
  let problemsFound = 0;
  const out = process.stdout;
  out.write(`bash: ${which('bash') ?? 'not found'}\n`);
  for (const declared of targets) {
    const plan = makePlan(runbook, { target: declared?.name, vars });
    const target = plan.target;
    out.write(`target ${target?.name ?? '(none)'}${target?.context ? ` (kube context ${target.context})` : ''}:\n`);
    for (const tool of target?.requires ?? []) {
      const found = which(tool);
      if (found) out.write(`  ✔ ${tool} (${found})\n`);
    }
    const found: string[] = [];
    const report = (line: string, kind: 'ok' | 'note' = 'ok') => found.push(`  ${kind === 'ok' ? '✔' : '-'} ${line}\n`);
    const problems = (await Promise.all(PREFLIGHT_CHECKS.map((c) => c(runbook, target, { kubeContext: options.context, plan, report })))).flat();
    for (const line of found) out.write(line);
    for (const p of problems) out.write(`  ✖ ${p.what}\n    → ${p.fix}\n`);
    problemsFound += problems.length;
    if (!problems.length) out.write('  ready\n');
  }
  return problemsFound ? EXIT.usage : EXIT.ok;
}
