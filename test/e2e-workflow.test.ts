// The end-to-end workflow (.github/workflows/e2e-kind.yml) runs for two hours on a kind cluster:
// it must run only when asked, on a schedule, or when the tutorial changes; use current major
// versions of the GitHub actions it calls; raise the inotify limits before kind starts; and never
// leave the cluster behind.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
}

const workflow = parse(readFileSync('.github/workflows/e2e-kind.yml', 'utf8')) as {
  on: { workflow_dispatch?: unknown; schedule?: { cron: string }[]; push?: { paths?: string[] } };
  jobs: Record<string, { steps: Step[]; env?: Record<string, string> }>;
};
const steps = Object.values(workflow.jobs)[0].steps;
const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);

t.test('runs on demand, weekly, and on pushes that change the tutorial', async (t) => {
  t.ok('workflow_dispatch' in workflow.on, 'manual dispatch');
  t.equal(workflow.on.schedule?.length, 1, 'one schedule');
  t.same(workflow.on.push?.paths, ['runbook/**', 'manifests/**', '.github/workflows/e2e-kind.yml'], 'pushes filtered by path');
});

t.test('calls the current major versions of the GitHub actions', async (t) => {
  // Current majors as of the Node 20 removal from the runners (September 2026).
  const current: Record<string, number> = { 'actions/checkout': 7, 'actions/setup-node': 6, 'actions/upload-artifact': 7 };
  const used = steps.filter((s) => s.uses).map((s) => s.uses!);
  t.same(used.map((u) => u.split('@')[0]).sort(), Object.keys(current).sort());
  for (const u of used) {
    const [name, version] = u.split('@');
    t.equal(version, `v${current[name]}`, `${name} at its current major`);
  }
});

t.test('inotify limits are raised before kind creates the cluster', async (t) => {
  const sysctl = index((s) => /fs\.inotify\.max_user_watches=\d+/.test(s.run ?? '') && /fs\.inotify\.max_user_instances=\d+/.test(s.run ?? ''));
  const tutorial = index((s) => /npm start/.test(s.run ?? ''));
  t.ok(sysctl >= 0 && sysctl < tutorial, 'sysctl step comes before the run');
});

t.test('the cluster is deleted whatever happened, after the logs of a failure are saved', async (t) => {
  const logs = index((s) => /kind export logs/.test(s.run ?? ''));
  const del = index((s) => /kind delete cluster/.test(s.run ?? ''));
  t.equal(steps[logs].if, 'failure()');
  t.equal(steps[del].if, 'always()');
  t.ok(logs < del && del === steps.length - 1, 'logs first, deletion last');
});
