// Children started with childEnv run without tap's process tracker (it only serves coverage, and
// cost every child `runbook` tens of milliseconds); other NODE_OPTIONS pass through.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { childEnv, withoutProcessTracker } from './support/child-env.ts';

t.test('tap\'s loader is taken out of NODE_OPTIONS, quoted or not; other options stay', async (t) => {
  t.equal(withoutProcessTracker('"--import=file:///x/node_modules/@tapjs/processinfo/dist/esm/import.mjs"'), '');
  t.equal(withoutProcessTracker('--max-old-space-size=99 --loader=/x/node_modules/@tapjs/processinfo/dist/esm/loader.mjs --enable-source-maps'), '--max-old-space-size=99 --enable-source-maps');
  t.equal(withoutProcessTracker(undefined), '');
});

t.test('a child (and its children) started with childEnv carries no tracker, whatever tap adds at spawn', async (t) => {
  const printOptions = 'console.log(JSON.stringify(process.env.NODE_OPTIONS ?? null))';
  const child = execFileSync(process.execPath, ['-e', printOptions], { env: childEnv({ NODE_OPTIONS: '--max-old-space-size=99' }), encoding: 'utf8' });
  t.match(JSON.parse(child), /^"?--max-old-space-size=99"?$/, 'kept (tap quotes what it passes on)');
  const grandchild = execFileSync(process.execPath, ['-e', `console.log(require('child_process').execFileSync(process.execPath, ['-e', ${JSON.stringify(printOptions)}], { encoding: 'utf8' }))`], { env: childEnv(), encoding: 'utf8' });
  t.notMatch(grandchild, /processinfo/);
});
