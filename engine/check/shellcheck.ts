// Runs shellcheck (when installed) over every shell step in one pass, mapping its findings
// back to the step's file:line. Variables set by earlier steps look unassigned to shellcheck,
// so those warnings are off.
import { spawnSync } from 'node:child_process';
import type { Runbook, CommandStep } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { which } from '../commands/preflight.ts';
import type { CheckFindings } from './types.ts';

const EXCLUDED = ['SC2154', 'SC2034', 'SC1090', 'SC1091', 'SC2164', 'SC2155', 'SC2016'];

interface Finding {
  line: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
}

export function checkShell(runbook: Runbook): CheckFindings {
  const findings: CheckFindings = { errors: [], warnings: [] };
  if (!which('shellcheck')) {
    findings.warnings.push('shellcheck is not installed; shell steps were not linted (Debian: apt-get install shellcheck; macOS: brew install shellcheck)');
    return findings;
  }
  const steps = runbook.steps.filter((s): s is CommandStep => s.type === 'command' && s.kind !== 'skip' && ['bash', 'sh', 'shell', ''].includes(s.lang));
  // One pass over all steps is fast. A syntax error stops shellcheck for the rest of its input,
  // so when there is one, each step is linted on its own to find every problem at its step.
  let results = lint(steps);
  if ('failed' in results) {
    findings.warnings.push(`shellcheck could not run: ${results.failed}`);
    return findings;
  }
  if (results.some((r) => r.finding.code < 2000 && r.finding.level === 'error')) {
    results = steps.flatMap((step) => {
      const one = lint([step]);
      return 'failed' in one ? [] : one;
    });
  }
  for (const { step, finding: f, line } of results) {
    const text = `SC${f.code}: ${f.message} (step ${step.id})`;
    if (f.level === 'error') findings.errors.push(new RunbookError(text, { file: step.position.file, line }, undefined, `See https://www.shellcheck.net/wiki/SC${f.code}`));
    else findings.warnings.push(`${step.position.file}:${line}: ${text}`);
  }
  return findings;
}

interface Located {
  step: CommandStep;
  finding: Finding;
  line: number; // in the runbook file
}

/** Lints steps as one script and maps each finding back to its step and file line. */
function lint(steps: CommandStep[]): Located[] | { failed: string } {
  const lines: string[] = ['#!/usr/bin/env bash'];
  const owner: { step: CommandStep; firstLine: number }[] = [];
  for (const step of steps) {
    owner.push({ step, firstLine: lines.length + 1 });
    lines.push(...step.code.split('\n'));
    lines.push(':'); // keeps a step ending in `\` from continuing into the next
  }
  const run = spawnSync('shellcheck', ['-s', 'bash', '-f', 'json', '-S', 'warning', '-e', EXCLUDED.join(','), '-'], { input: lines.join('\n') + '\n', encoding: 'utf8', timeout: 60_000 });
  if (run.error || (run.status !== 0 && run.status !== 1)) return { failed: run.error?.message ?? run.stderr.trim() };
  const located: Located[] = [];
  for (const finding of JSON.parse(run.stdout || '[]') as Finding[]) {
    const o = [...owner].reverse().find((x) => x.firstLine <= finding.line);
    if (o) located.push({ step: o.step, finding, line: o.step.position.line + (finding.line - o.firstLine) + 1 });
  }
  return located;
}
