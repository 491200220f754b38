// `--set NAME=VALUE` for a name nothing uses is almost always a typo (AWS_REGON): warn, naming the
// closest variable the runbook does use. A name is used when a step or directive mentions it
// ($NAME, ${NAME}, NAME=), the settings declare it, or the environment already has it (tools
// such as aws read AWS_PROFILE without a step naming it).
import type { Runbook } from '../model.ts';

const MENTION = /\$\{?([A-Za-z_][A-Za-z0-9_]*)|\b([A-Za-z_][A-Za-z0-9_]*)\+?=/g;

export function knownNames(runbook: Runbook, env: NodeJS.ProcessEnv): Set<string> {
  const names = new Set<string>([...Object.keys(runbook.settings.vars), ...Object.keys(env), 'RUNBOOK_ROOT', 'RUNBOOK_TARGET']);
  const scan = (text: string) => {
    for (const m of text.matchAll(MENTION)) names.add(m[1] ?? m[2]);
  };
  for (const step of runbook.steps) {
    if (step.type === 'command') scan(step.code);
    else for (const value of Object.values(step.attrs)) scan(value);
  }
  return names;
}

/** Optimal string alignment distance (Levenshtein with transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  a = a.toUpperCase();
  b = b.toUpperCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name closest to `name`, if it is close enough to be a likely typo. */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    if (Math.abs(candidate.length - name.length) > 3) continue;
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance || (distance === best.distance && candidate < best.name)) best = { name: candidate, distance };
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best && best.distance <= limit ? best.name : undefined;
}

/** Warnings for --set names no step or setting uses. */
export function unusedSetWarnings(sets: Record<string, string>, runbook: Runbook, env: NodeJS.ProcessEnv): string[] {
  if (Object.keys(sets).length === 0) return []; // no --set: nothing to look for in every step
  const known = knownNames(runbook, env);
  const warnings: string[] = [];
  for (const name of Object.keys(sets)) {
    if (known.has(name)) continue;
    const close = closestName(name, known);
    warnings.push(`--set ${name}: no step or setting of this runbook uses ${name}${close ? `; did you mean ${close}?` : ''}`);
  }
  return warnings;
}
