// Chunked lists as the API specifies them (API concepts, "Retrieving large results sets in
// chunks"): pages from one snapshot, a continue token that expires with compaction (410), and the
// engine's list that pages through them and starts over on a 410 — what the leftovers check uses.
import * as k8s from '@kubernetes/client-node';
import t from 'tap';
import { listAll } from '../engine/kube/api-request.ts';
import { kubeClients } from '../engine/kube/client.ts';
import { makePod, startKubeApiServer, type RecordedRequest } from './support/kube/index.ts';
import { CONTEXT } from './support/kube-harness.ts';
import { kubectl } from './support/kubectl.ts';
import { tempDir } from './support/tmp.ts';

async function withPods(t: Parameters<typeof tempDir>[0], count: number, onRequest?: (r: RecordedRequest, server: Awaited<ReturnType<typeof startKubeApiServer>>) => void) {
  let started: Awaited<ReturnType<typeof startKubeApiServer>> | undefined;
  const server = await startKubeApiServer({ onRequest: (r) => started && onRequest?.(r, started) });
  started = server;
  t.teardown(() => server.close());
  for (let i = 0; i < count; i++) server.store.create(makePod('demo', `web-${String(i).padStart(4, '0')}`));
  const env = { KUBECONFIG: server.kubeconfigPath(CONTEXT), HOME: tempDir(t) };
  return { server, clients: kubeClients({ env }), env };
}

t.test('pages come from the snapshot of the first: the same resourceVersion, nothing created since', async (t) => {
  const { server, env } = await withPods(t, 5);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(env.KUBECONFIG);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const first = await core.listNamespacedPod({ namespace: 'demo', limit: 2 });
  server.store.create(makePod('demo', 'web-0001a')); // sorts right after the first page
  server.store.delete('pods', 'demo', 'web-0003');
  const second = await core.listNamespacedPod({ namespace: 'demo', limit: 2, _continue: first.metadata?._continue });
  const third = await core.listNamespacedPod({ namespace: 'demo', limit: 2, _continue: second.metadata?._continue });
  t.same([...first.items, ...second.items, ...third.items].map((p) => p.metadata?.name), ['web-0000', 'web-0001', 'web-0002', 'web-0003', 'web-0004'], 'the list as it was');
  t.equal(second.metadata?.resourceVersion, first.metadata?.resourceVersion);
  t.equal(first.metadata?.remainingItemCount, 3);
  t.notOk(third.metadata?._continue, 'no token after the last page');

  server.store.expireWatchHistory();
  const expired = await core.listNamespacedPod({ namespace: 'demo', limit: 2, _continue: first.metadata?._continue }).catch((e: k8s.ApiException<string>) => e);
  const status = JSON.parse((expired as k8s.ApiException<string>).body);
  t.match(status, { code: 410, reason: 'Expired', message: /^The provided continue parameter is too old to display a consistent list result/ });
  t.ok(status.metadata.continue, 'with a token for the rest of the current list');
});

t.test("the engine's listAll pages through 1,200 objects from one snapshot", async (t) => {
  let created = false;
  const { server, clients } = await withPods(t, 1200, (r, s) => {
    if (r.query.continue && !created) {
      created = true;
      s.store.create(makePod('demo', 'web-0000b'));
    }
  });
  const list = await listAll<{ metadata: { name: string } }>(clients, '/api/v1/namespaces/demo/pods');
  t.equal(list.items.length, 1200, 'the object created between pages is not in this list');
  t.equal(server.store.requests.filter((r) => r.path === '/api/v1/namespaces/demo/pods').length, 3, 'three pages of 500');
});

t.test('a continue token that expires half-way: listAll starts over and gets a consistent list', async (t) => {
  let expired = false;
  const { server, clients } = await withPods(t, 700, (r, s) => {
    if (r.query.continue && !expired) {
      expired = true;
      s.store.create(makePod('demo', 'web-late'));
      s.store.expireWatchHistory();
    }
  });
  const list = await listAll<{ metadata: { name: string } }>(clients, '/api/v1/namespaces/demo/pods');
  t.equal(list.items.length, 701, 'the whole list as it is now, the late pod included');
  const requests = server.store.requests.filter((r) => r.path === '/api/v1/namespaces/demo/pods');
  t.same(requests.map((r) => Boolean(r.query.continue)), [false, true, false, true], 'first page, 410, a fresh first page, the rest');
});

t.test('kubectl get --chunk-size pages through the same way', async (t) => {
  const { server, env } = await withPods(t, 7);
  const got = await kubectl(t, env.KUBECONFIG).run(['get', 'pods', '-n', 'demo', '--chunk-size=3', '-o', 'name']);
  t.equal(got.stdout.trim().split('\n').length, 7, got.stderr);
  t.equal(server.store.requests.filter((r) => r.path === '/api/v1/namespaces/demo/pods' && r.query.limit === '3').length, 3);
});
