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
  const lines: string[] = ['#!/usr/bin/env bash'];
  const owner: { step: CommandStep; firstLine: number }[] = [];
  for (const step of steps) {
    owner.push({ step, firstLine: lines.length + 1 });
    lines.push(...step.code.split('\n'));
    lines.push(':'); // keeps a step ending in `\` or an open construct from swallowing the next
  }
  const run = spawnSync('shellcheck', ['-s', 'bash', '-f', 'json', '-S', 'warning', '-e', EXCLUDED.join(','), '-'], { input: lines.join('\n') + '\n', encoding: 'utf8', timeout: 60_000 });
  if (run.error || (run.status !== 0 && run.status !== 1)) {
    findings.warnings.push(`shellcheck could not run: ${run.error?.message ?? run.stderr.trim()}`);
    return findings;
  }
  for (const f of JSON.parse(run.stdout || '[]') as Finding[]) {
    const o = [...owner].reverse().find((x) => x.firstLine <= f.line);
    if (!o) continue;
    const line = o.step.position.line + (f.line - o.firstLine) + 1;
    const text = `SC${f.code}: ${f.message} (step ${o.step.id})`;
    if (f.level === 'error') findings.errors.push(new RunbookError(text, { file: o.step.position.file, line }, undefined, `See https://www.shellcheck.net/wiki/SC${f.code}`));
    else findings.warnings.push(`${o.step.position.file}:${line}: ${text}`);
  }
  return findings;
}
