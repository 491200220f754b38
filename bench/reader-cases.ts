// The reader's promise that every input of up to 50 MB is read in time linear in its size: the
// same prose at 45 MB against 4.5 MB, and inputs built to hurt a parser (deep nesting at the
// limit followed by blank lines, one huge line, thousands of link definitions, unclosed
// brackets) against ordinary prose of the same size. Measured in fresh processes (loadRunbook).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case } from './harness.ts';
import { reportedBy } from './harness.ts';
import { generateProse } from './generate.ts';

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;

/** Inputs shaped to make a careless parser quadratic, about `megabytes` each, with one step. */
export function hostile(megabytes: number): string {
  const size = megabytes * MB;
  const step = '```bash run id=s\necho\n```\n\n';
  const deepList = Array.from({ length: 99 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n') + '\n';
  const quarter = size / 4;
  return [
    step,
    deepList,
    '\n'.repeat(quarter), // blank lines continue every open list item
    'x'.repeat(quarter) + ' ' + '`'.repeat(1000) + '\n\n', // one huge line with a long backtick run
    '[a]: /u\n'.repeat(quarter / 8), // thousands of link reference definitions
    '\n\n' + '[a '.repeat(quarter / 3) + '\n',
  ].join('');
}

/** A scratch directory with the named inputs, made before a case and removed after it. */
function inputs(files: Record<string, () => string>) {
  let dir = '';
  return {
    path: (name: string) => join(dir, name),
    setup: () => {
      dir = mkdtempSync(join(tmpdir(), 'runbook-bench-reader-'));
      for (const [name, make] of Object.entries(files)) writeFileSync(join(dir, name), make());
    },
    teardown: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** loadRunbook of a file in a fresh process (the file is known only once the case is set up). */
const read = (path: () => string) => () => reportedBy(process.execPath, ['--import', 'tsx', join(PROJECT, 'bench', 'parse-cold.ts'), 'reader', path()], { cwd: PROJECT })();

export function readerCases(): Case[] {
  const linear = inputs({ 'small.md': () => generateProse(4.5), 'large.md': () => generateProse(45) });
  const worst = inputs({ 'hostile.md': () => hostile(45), 'large.md': () => generateProse(45) });
  return [
    {
      name: 'reader: 45 MB of prose against 4.5 MB (linear time)',
      a: { label: 'loadRunbook 45 MB', run: read(() => linear.path('large.md')) },
      b: { label: 'loadRunbook 4.5 MB', run: read(() => linear.path('small.md')) },
      goals: [{ kind: 'ratio', value: 13 }],
      pairs: 3,
      setup: linear.setup,
      teardown: linear.teardown,
    },
    {
      name: 'reader: 45 MB built to hurt a parser against 45 MB of prose',
      a: { label: 'loadRunbook hostile 45 MB', run: read(() => worst.path('hostile.md')) },
      b: { label: 'loadRunbook prose 45 MB', run: read(() => worst.path('large.md')) },
      goals: [{ kind: 'ratio', value: 2 }],
      pairs: 3,
      setup: worst.setup,
      teardown: worst.teardown,
    },
  ];
}
