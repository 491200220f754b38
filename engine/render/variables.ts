// The block that lets a reader follow the rendered docs by hand: the runbook's `vars` (and the
// engine's own RUNBOOK_ROOT / RUNBOOK_TARGET when visible commands use them), as `export` lines
// to paste into a new shell before the first command. Without it, `$CLUSTER_NAME` and friends
// expand to nothing in a reader's terminal.
import { relative, resolve } from 'node:path';
import type { Runbook, Step } from '../model.ts';
import { escapeInline, listing } from './adoc-syntax.ts';
import { toPosix } from './links.ts';
import { shellQuote } from '../execute/shell-scripts.ts';

export function variablesBlock(runbook: Runbook, outDir: string): string | undefined {
  const lines = Object.entries(runbook.settings.vars).map(([name, value]) => `export ${name}=${literal(value)}`);
  const visible = runbook.steps.filter((s) => !s.hidden && s.kind !== 'cleanup');
  if (visible.some((s) => mentions(s, 'RUNBOOK_ROOT'))) {
    const root = toPosix(relative(outDir, runbook.root)) || '.';
    lines.push(`export RUNBOOK_ROOT="$PWD/${root}"`);
  }
  const targets = runbook.settings.targets.map((t) => t.name);
  if (targets.length && visible.some((s) => mentions(s, 'RUNBOOK_TARGET'))) {
    lines.push(`export RUNBOOK_TARGET=${literal(targets[0])}${targets.length > 1 ? `   # or: ${targets.slice(1).join(', ')}` : ''}`);
  }
  if (!lines.length) return undefined;
  const from = settingsFile(runbook, outDir);
  const title = `Set the variables first${from ? ` (from ${from})` : ''}, in a new shell in the directory of this document`;
  return listing(lines.join('\n'), { style: 'source,bash', title: escapeInline(title, ' ', ' ') });
}

/** The value exactly as the engine exports it: the session sees it unexpanded. */
function literal(value: string): string {
  return /^[\w.\/:=,@%+-]+$/.test(value) ? value : shellQuote(value);
}

function mentions(step: Step, name: string): boolean {
  const text = step.type === 'command' ? step.code : Object.values(step.attrs).join(' ');
  return new RegExp(`\\$\\{?${name}\\b`).test(text);
}

function settingsFile(runbook: Runbook, outDir: string): string | undefined {
  const source = runbook.settings.source?.file;
  return source ? toPosix(relative(outDir, resolve(process.cwd(), source))) : undefined;
}
