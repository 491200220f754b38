import t from 'tap';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { checkManifests } from '../engine/check/manifests.ts';
import { istioModelsInstalled } from '../engine/check/manifest-types.ts';

// @kubernetes-models/istio is optional (it needs Node 22; .ci/run installs it on Node 20).
const istio = istioModelsInstalled();
const withIstio = { skip: istio ? false : '@kubernetes-models/istio is not installed (Node < 22): Istio kinds are not schema-checked here' };
import { tempDir, writeFiles } from './support/tmp.ts';

async function check(t: { teardown(fn: () => unknown): void }, manifests: Record<string, string>) {
  const dir = tempDir(t);
  writeFiles(dir, { 'runbook/01.md': '```bash run id=a\ntrue\n```\n', ...Object.fromEntries(Object.entries(manifests).map(([k, v]) => [`manifests/${k}`, v])) });
  return checkManifests(loadRunbook(join(dir, 'runbook')), dir);
}
async function findings(t: { teardown(fn: () => unknown): void }, manifests: Record<string, string>) {
  return (await check(t, manifests)).errors.map((e) => e.format());
}

t.test('without Istio\'s models, Istio resources are reported as not checked, with the reason', { skip: istio ? 'the Istio models are installed here' : false }, async (t) => {
  const result = await check(t, { 'pa.yaml': 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default }\nspec: { bogus: 1 }\n' });
  t.same(result.errors, []);
  t.match(result.warnings.join('\n'), /1 Istio resource\(s\) not schema-checked: @kubernetes-models\/istio needs Node\.js 22 .*manifests\/pa\.yaml:1 PeerAuthentication/);
});

t.test('the seed tutorial\'s defects are caught at their lines', withIstio, async (t) => {
  const errors = await findings(t, {
    'vs.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: tls-routing
spec:
  hosts: ["*.example.com"]
  tls:
  - match:
    - port: 443
      sni_hosts: ["a.example.com"]
    route:
    - destination:
        host: a.example.com
`,
    'dr.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
    outlierDetection:
      consecutiveErrors: 1
      interval: 1s
`,
    'ingress.yaml': `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
`,
    'notes.yaml': 'Run this with kubectl apply -f\n',
  });
  const text = errors.join('\n');
  t.match(text, /vs\.yaml:10: unknown field "sni_hosts"/);
  t.match(text, /vs\.yaml:\d+: VirtualService spec\.tls\.0\.match\.0 must have required property sniHosts/);
  t.match(text, /dr\.yaml:9: deprecated field "consecutiveErrors"/);
  t.match(text, /ingress\.yaml:1: extensions\/v1beta1 is no longer served/);
  t.match(text, /notes\.yaml:1: a manifest must be a YAML mapping/);
});

t.test('unknown fields and wrong types in Kubernetes objects and cluster configs', async (t) => {
  const errors = await findings(t, {
    'deploy.yaml': `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: nginx
        imagePullPolcy: Always
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: http
`,
    'kind.yaml': `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  extraPortMapings: []
`,
  });
  const text = errors.join('\n');
  t.match(text, /deploy\.yaml:17: unknown field "imagePullPolcy"/);
  t.match(text, /deploy\.yaml:7: .*(string|number)/, 'replicas must be a number');
  t.match(text, /kind\.yaml:5: unknown field "extraPortMapings"/);
  t.notMatch(text, /deploy\.yaml:2[0-9]/, 'the valid Service has no findings');
});

t.test('valid manifests pass', withIstio, async (t) => {
  const errors = await findings(t, {
    'gw.yaml': `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: { number: 443, name: https, protocol: HTTPS }
    tls: { mode: SIMPLE, credentialName: httpbin-credential }
    hosts: ["httpbin.example.com"]
`,
    'pa.yaml': 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: istio-system }\nspec: { mtls: { mode: STRICT } }\n',
  });
  t.same(errors, []);
});
