// `wait gateway` against the API test server with the Gateway API CRDs and istiod as their
// controller (Programmed once its LoadBalancer Service has an address; routes Accepted with their
// references resolved), beside the real `kubectl wait --for=condition=programmed`; and conditions
// of an older generation, which do not count.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { handler } from '../engine/directives/wait-gateway.ts';
import { gatewayApiCrds, istioGatewayClass, makeService, startIstiod, startKubeApiServer } from './support/kube/index.ts';
import { CONTEXT, runDirective, until, watchOpened } from './support/kube-harness.ts';
import { kubectl } from './support/kubectl.ts';
import { tempDir } from './support/tmp.ts';

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
  namespace: default
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces: { from: Same }
`;
const ROUTE = (backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: httpbin
  namespace: default
spec:
  parentRefs:
  - name: httpbin-gateway
  hostnames: ["httpbin.example.com"]
  rules:
  - backendRefs:
    - name: ${backend}
      port: 8000
`;

async function gatewayCluster(t: Parameters<typeof tempDir>[0] & Parameters<typeof kubectl>[0], withIstiod = true) {
  const server = await startKubeApiServer();
  t.teardown(() => server.close());
  for (const crd of gatewayApiCrds()) server.store.create(crd);
  server.store.create(istioGatewayClass());
  if (withIstiod) {
    const istiod = await startIstiod(server.store);
    t.teardown(() => istiod.close());
  }
  server.store.create(makeService('default', 'httpbin', { ports: [{ name: 'http', port: 8000, targetPort: 8080 }] }));
  const kubeconfig = server.kubeconfigPath(CONTEXT);
  const dir = tempDir(t);
  const k = kubectl(t, kubeconfig);
  const apply = async (text: string) => {
    writeFileSync(join(dir, 'manifest.yaml'), text);
    const result = await k.run(['apply', '-f', join(dir, 'manifest.yaml')]);
    t.equal(result.code, 0, result.stderr);
  };
  return { server, k, apply, env: { KUBECONFIG: kubeconfig, HOME: dir, PATH: process.env.PATH ?? '' } };
}

t.test('Programmed once the load balancer has an address, route Accepted: wait gateway and kubectl wait agree', async (t) => {
  const { server, k, apply, env } = await gatewayCluster(t);
  await apply(GATEWAY);
  await apply(ROUTE('httpbin'));
  await until(() => Boolean(server.store.get('services', 'default', 'httpbin-gateway-istio')), "istiod's Service for the gateway");
  const progress: string[] = [];
  const engine = runDirective(handler, { verb: 'wait', args: ['gateway'], attrs: { namespace: 'default', name: 'httpbin-gateway' }, env, timeoutMs: 20_000, onProgress: (p) => progress.push(p) });
  const programmed = k.run(['wait', '--for=condition=programmed', 'gateways.gateway.networking.k8s.io/httpbin-gateway', '--timeout=20s']);
  await watchOpened(server.store, '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways', 2);
  t.match(progress.at(-1), /gateway httpbin-gateway: Programmed=False AddressNotAssigned/);
  server.store.patch('services', 'default', 'httpbin-gateway-istio', { status: { loadBalancer: { ingress: [{ ip: '172.18.255.201' }] } } }); // cloud-provider-kind's part
  const [run, waited] = await Promise.all([engine, programmed]);
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.same(run.logs, ['gateway default/httpbin-gateway Programmed (172.18.255.201)', 'httproute/httpbin Accepted']);
  t.equal(waited.stdout.trim(), 'gateway.gateway.networking.k8s.io/httpbin-gateway condition met', waited.stderr);
  const table = (await k.run(['get', 'gateways.gateway.networking.k8s.io', '--no-headers'])).stdout.trim().split(/\s+/);
  t.same(table.slice(0, 4), ['httpbin-gateway', 'istio', '172.18.255.201', 'True'], 'CLASS ADDRESS PROGRAMMED as kubectl prints them');
});

t.test('a route whose backend is missing is named at the timeout, with the reason from its status', async (t) => {
  const { server, apply, env } = await gatewayCluster(t);
  await apply(GATEWAY);
  await apply(ROUTE('httpbin-typo'));
  await until(() => Boolean(server.store.get('services', 'default', 'httpbin-gateway-istio')), "istiod's Service");
  server.store.patch('services', 'default', 'httpbin-gateway-istio', { status: { loadBalancer: { ingress: [{ hostname: 'a1b2.elb.amazonaws.com' }] } } });
  const run = await runDirective(handler, { verb: 'wait', args: ['gateway'], attrs: { namespace: 'default', name: 'httpbin-gateway' }, env, timeoutMs: 1500 });
  t.notOk(run.outcome.ok);
  t.equal(run.outcome.message, [
    'gateway default/httpbin-gateway: Programmed',
    '  httproute/httpbin: not accepted: ResolvedRefs=False BackendNotFound: backend(s) not found: httpbin-typo.default.svc.cluster.local:8000',
    'see: kubectl -n default describe gateways.gateway.networking.k8s.io httpbin-gateway',
  ].join('\n'));
  const named = await runDirective(handler, { verb: 'wait', args: ['gateway'], attrs: { namespace: 'default', name: 'httpbin-gateway', routes: 'httproute/other' }, env, timeoutMs: 800 });
  t.match(named.outcome.message, /httproute\/other: not accepted: does not exist yet/);
});

t.test('conditions written for an older generation do not count', async (t) => {
  const { server, apply, env } = await gatewayCluster(t, false); // no controller: the test writes the status
  await apply(GATEWAY);
  const generation = (server.store.get('gateways.gateway.networking.k8s.io', 'default', 'httpbin-gateway')?.metadata.generation ?? 0);
  const condition = (type: string, observedGeneration: number) => ({ type, status: 'True', reason: type, message: '', observedGeneration, lastTransitionTime: '2026-01-01T00:00:00Z' });
  server.store.patch('gateways.gateway.networking.k8s.io', 'default', 'httpbin-gateway', { status: { conditions: [condition('Accepted', generation), condition('Programmed', generation)] } });
  server.store.patch('gateways.gateway.networking.k8s.io', 'default', 'httpbin-gateway', { spec: { listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }] } });
  const stale = await runDirective(handler, { verb: 'wait', args: ['gateway'], attrs: { namespace: 'default', name: 'httpbin-gateway' }, env, timeoutMs: 800 });
  t.match(stale.outcome.message, new RegExp(`not Programmed: Accepted describes generation ${generation}, not the current ${generation + 1}`));
});
