// `runbook run` tells V8 to collect sooner rather than grow its heap (engine/commands/run-memory.ts):
// a long run keeps something for every step. Seen from inside the built command's own process:
// after a run, a workload that keeps many objects alive for a while leaves the young generation
// at its first size; after `runbook list` (no tuning) the same workload grows it.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT } from './support/cli.ts';
import { childEnv } from './support/child-env.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const CHILD = `
import { getHeapSpaceStatistics } from 'node:v8';
const { main } = await import(process.argv[1]); // node -e: the arguments start at argv[1]
const code = await main(process.argv.slice(2));
const kept = [];
for (let i = 0; i < 300_000; i++) {
  kept.push({ i, s: 'x' + i });
  if (kept.length > 20_000) kept.splice(0, 10_000);
}
const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
process.stdout.write(JSON.stringify({ code, youngMb: young / 2 ** 20 }) + '\\n');
`;

function youngGenerationAfter(args: string[], cwd: string): { code: number; youngMb: number } {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, pathToFileURL(join(PROJECT, 'dist', 'cli.js')).href, ...args], {
    cwd,
    env: childEnv({ NO_COLOR: '1', CI: '1' }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`the child printed no result: ${child.stdout}${child.stderr}`);
  return JSON.parse(last);
}

t.test('after runbook run the young generation stays small; after runbook list it grows', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'r.md': '```bash run id=one\ntrue\n```\n' });
  const run = youngGenerationAfter(['run', 'r.md'], dir);
  t.equal(run.code, 0, 'the run passed');
  t.ok(run.youngMb <= 8, `young generation after run: ${run.youngMb} MB`);
  const list = youngGenerationAfter(['list', 'r.md'], dir);
  t.equal(list.code, 0);
  t.ok(list.youngMb > 8, `the same workload after list grows it (${list.youngMb} MB): the check can fail`);
});
