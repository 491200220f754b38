// The `ingress` directive against the Kubernetes API test server: LoadBalancer IP, hostname (with
// DNS: one that resolves here, one that never does), and the port-forward fallback carrying bytes.
import { RunObjects } from '../engine/directives/run-objects.ts';
import t, { type Test } from 'tap';
import { handler } from '../engine/directives/ingress.ts';
import { judgeNodes } from '../engine/kube/cloud-provider.ts';
import { makeNode, makePod, makeService, type KubeObject, type ServiceOptions } from './support/kube/index.ts';
import { echoServer, exchange, stillForwards, kubeFixture, runDirective, runTeardowns, watchOpened, type KubeFixture } from './support/kube-harness.ts';

const GATEWAY_PORTS: ServiceOptions['ports'] = [
  { name: 'status-port', port: 15021 },
  { name: 'http2', port: 80, targetPort: 8080 },
  { name: 'https', port: 443, targetPort: 8443 },
];

function gateway(fixture: KubeFixture, options: ServiceOptions): void {
  fixture.server.store.create(
    makeService('istio-system', 'istio-ingressgateway', { ports: GATEWAY_PORTS, selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' }, ...options }),
  );
}

function node(name: string, providerID?: string): KubeObject {
  const object = makeNode(name);
  if (providerID) (object.spec as Record<string, unknown>).providerID = providerID;
  return object;
}

t.test('a LoadBalancer IP is exported with the http2 and https service ports', async (t) => {
  const fixture = await kubeFixture(t);
  gateway(fixture, { type: 'LoadBalancer', ingress: [{ ip: '172.18.255.200' }] });
  const run = await runDirective(handler, { verb: 'ingress', env: fixture.env });
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.same(run.exported, { INGRESS_HOST: '172.18.255.200', INGRESS_PORT: '80', SECURE_INGRESS_PORT: '443', GATEWAY_URL: '172.18.255.200:80' });
  t.equal(run.logs[0], 'ingress for istio-system/istio-ingressgateway: load-balancer-ip because the LoadBalancer has the IP 172.18.255.200');
});

t.test('an address that arrives later is picked up from the watch', async (t) => {
  const fixture = await kubeFixture(t);
  gateway(fixture, { type: 'LoadBalancer' });
  const waiting = runDirective(handler, { verb: 'ingress', env: fixture.env });
  await watchOpened(fixture.server.store, '/api/v1/namespaces/istio-system/services');
  fixture.server.store.patch('services', 'istio-system', 'istio-ingressgateway', { status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } });
  const run = await waiting;
  t.ok(run.outcome.ok);
  t.equal(run.progress[0], 'waiting for a LoadBalancer address for service istio-system/istio-ingressgateway');
  t.equal(run.exported.GATEWAY_URL, '10.0.0.9:80');
});

t.test('a LoadBalancer hostname is used once it resolves in DNS', async (t) => {
  const fixture = await kubeFixture(t);
  gateway(fixture, { type: 'LoadBalancer', ingress: [{ hostname: 'localhost' }] });
  const run = await runDirective(handler, { verb: 'ingress', env: fixture.env });
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.equal(run.exported.INGRESS_HOST, 'localhost');
  t.equal(run.exported.GATEWAY_URL, 'localhost:80');
  t.match(run.logs[0], /^localhost resolves to (127\.0\.0\.1|::1)$/);
});

t.test('a hostname that never resolves is waited for, with progress, until the timeout', async (t) => {
  const fixture = await kubeFixture(t);
  const hostname = 'a1b2c3d4e5-1234567890.us-west-2.elb.invalid';
  gateway(fixture, { type: 'LoadBalancer', ingress: [{ hostname }] });
  const run = await runDirective(handler, { verb: 'ingress', env: fixture.env, timeoutMs: 800 });
  t.notOk(run.outcome.ok);
  t.match(run.outcome.message, new RegExp(`^the load balancer hostname ${hostname.replace(/\./g, '\\.')} of service istio-system/istio-ingressgateway does not resolve yet \\(\\w+\\)`));
  t.match(run.progress[0], new RegExp(`^waiting for ${hostname.replace(/\./g, '\\.')} to resolve in DNS \\(\\w+\\); \\d+ms so far$`));
  t.same(run.exported, {}, 'nothing exported');
});

async function gatewayPod(t: Test, fixture: KubeFixture) {
  const http = await echoServer(t, 'http:');
  const https = await echoServer(t, 'https:');
  fixture.server.store.create(makePod('istio-system', 'istio-ingressgateway-6c8b9d7f5-q2w3e', { labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } }));
  fixture.server.store.setPortForwardTarget('istio-system', 'istio-ingressgateway-6c8b9d7f5-q2w3e', 8080, { host: '127.0.0.1', port: http.port });
  fixture.server.store.setPortForwardTarget('istio-system', 'istio-ingressgateway-6c8b9d7f5-q2w3e', 8443, { host: '127.0.0.1', port: https.port });
}

t.test('a NodePort gateway gets a port-forward at once, carrying bytes both ways on both ports', async (t) => {
  const fixture = await kubeFixture(t);
  gateway(fixture, { type: 'NodePort' });
  await gatewayPod(t, fixture);
  const teardowns: (() => Promise<void> | void)[] = [];
  t.teardown(() => runTeardowns(teardowns));
  const run = await runDirective(handler, { verb: 'ingress', env: fixture.env, teardowns });
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.equal(run.exported.INGRESS_HOST, '127.0.0.1');
  t.equal(run.exported.GATEWAY_URL, `127.0.0.1:${run.exported.INGRESS_PORT}`);
  t.not(run.exported.INGRESS_PORT, run.exported.SECURE_INGRESS_PORT);
  t.equal(await exchange(Number(run.exported.INGRESS_PORT), 'GET /productpage'), 'http:GET /productpage');
  t.equal(await exchange(Number(run.exported.SECURE_INGRESS_PORT), 'hello'), 'https:hello');
  t.match(run.logs.join('\n'), /because the service is of type NodePort, so no load balancer will be assigned/);
  await runTeardowns(teardowns);
  t.notOk(await stillForwards(Number(run.exported.INGRESS_PORT), 'http:'), 'closed at the end of the run');
});

t.test('a LoadBalancer still pending on kind falls back after the grace period, and later steps reuse the forward', async (t) => {
  const fixture = await kubeFixture(t);
  fixture.server.store.create(node('istio-runbook-control-plane', 'kind://docker/istio-runbook/istio-runbook-control-plane'));
  gateway(fixture, { type: 'LoadBalancer' });
  await gatewayPod(t, fixture);
  const teardowns: (() => Promise<void> | void)[] = [];
  t.teardown(() => runTeardowns(teardowns));
  const shared = new RunObjects();
  const env = { ...fixture.env, RUNBOOK_LB_GRACE: '300ms' };
  const run = await runDirective(handler, { verb: 'ingress', env, teardowns, shared });
  t.ok(run.outcome.ok, run.outcome.message ?? 'ok');
  t.match(run.logs.join('\n'), /port-forward because the LoadBalancer has no address after 300ms and the nodes are kind nodes/);
  t.equal(await exchange(Number(run.exported.INGRESS_PORT), 'x'), 'http:x');

  const again = await runDirective(handler, { verb: 'ingress', env, teardowns, shared });
  t.ok(again.outcome.ok);
  t.match(again.logs.join('\n'), /reusing this run's port-forward/, 'reused at once, without another grace period');
  t.same(again.exported, run.exported);
  t.equal(teardowns.length, 1, 'one forward for the run');
});

t.test('a LoadBalancer pending on a cloud is waited for until the timeout, which says why', async (t) => {
  const fixture = await kubeFixture(t);
  fixture.server.store.create(node('ip-192-168-1-10.us-west-2.compute.internal', 'aws:///us-west-2a/i-0123456789abcdef0'));
  gateway(fixture, { type: 'LoadBalancer' });
  const run = await runDirective(handler, { verb: 'ingress', env: { ...fixture.env, RUNBOOK_LB_GRACE: '100ms' }, timeoutMs: 600 });
  t.notOk(run.outcome.ok);
  t.equal(
    run.outcome.message,
    'service istio-system/istio-ingressgateway has no LoadBalancer address yet; the nodes run on aws, whose controller provisions load balancers (this can take minutes); see: kubectl describe service istio-ingressgateway -n istio-system',
  );
});

t.test('mistakes are explained', async (t) => {
  const fixture = await kubeFixture(t);
  const missing = await runDirective(handler, { verb: 'ingress', env: fixture.env, timeoutMs: 300 });
  t.equal(missing.outcome.message, 'service istio-system/istio-ingressgateway does not exist (is the gateway installed?)');
  t.equal(missing.progress[0], 'waiting for service istio-system/istio-ingressgateway to be created');
  fixture.server.store.create(makeService('demo', 'gw', { type: 'LoadBalancer', ingress: [{ ip: '1.2.3.4' }], ports: [{ name: 'http', port: 80 }] }));
  const noHttp2 = await runDirective(handler, { verb: 'ingress', attrs: { namespace: 'demo', service: 'gw' }, env: fixture.env });
  t.equal(noHttp2.outcome.message, 'service demo/gw has no port named http2; its ports: 80 (http)');
  const badGrace = await runDirective(handler, { verb: 'ingress', env: { ...fixture.env, RUNBOOK_LB_GRACE: 'soon' } });
  t.equal(badGrace.outcome.message, 'RUNBOOK_LB_GRACE=soon is not a duration; use e.g. 15s');
});

t.test('the node rule: kind and provider-less clusters expect no load balancer, clouds do', async (t) => {
  t.notOk(judgeNodes([node('a', 'kind://docker/x/a') as never]).loadBalancerExpected);
  t.notOk(judgeNodes([node('a') as never, node('b') as never]).loadBalancerExpected);
  t.ok(judgeNodes([node('a', 'gce://project/zone/a') as never]).loadBalancerExpected);
  t.ok(judgeNodes([]).loadBalancerExpected, 'unknown: keep waiting');
});
