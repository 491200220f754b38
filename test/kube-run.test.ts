// The Kubernetes directives inside a real run (the CLI, a bash session): variables exported by
// `ingress` reach later steps, port-forwards carry a step's bytes, and nothing listens after the run.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeNode, makePod, makeService } from './support/kube/index.ts';
import { CONTEXT, echoServer, stillForwards, kubeFixture, freePort } from './support/kube-harness.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

/** Bash that sends a line to 127.0.0.1:PORT and prints the answer (no curl needed; fd chosen by bash, 3 is the session's). */
const talk = (port: string, text: string) =>
  `exec {sock}<>/dev/tcp/127.0.0.1/${port}; printf '%s\\n' '${text}' >&$sock; read -r -t 3 answer <&$sock; echo "$answer"; exec {sock}>&-`;

t.test('ingress and port-forward in a run: exported variables, bytes through the session, closed at the end', async (t) => {
  const fixture = await kubeFixture(t);
  const gatewayHttp = await echoServer(t, 'gateway:');
  const kiali = await echoServer(t, 'kiali:');
  const store = fixture.server.store;
  store.create(makeNode('istio-runbook-control-plane'));
  store.create(makeService('istio-system', 'istio-ingressgateway', { type: 'NodePort', ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }], selector: { istio: 'ingressgateway' } }));
  store.create(makePod('istio-system', 'istio-ingressgateway-abc-12345', { labels: { istio: 'ingressgateway' } }));
  store.setPortForwardTarget('istio-system', 'istio-ingressgateway-abc-12345', 8080, { host: '127.0.0.1', port: gatewayHttp.port });
  store.create(makeService('istio-system', 'kiali', { ports: [{ name: 'http', port: 20001 }] }));
  store.create(makePod('istio-system', 'kiali-xyz-98765', { labels: { app: 'kiali' } }));
  store.setPortForwardTarget('istio-system', 'kiali-xyz-98765', 20001, { host: '127.0.0.1', port: kiali.port });
  const local = await freePort();

  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\n`,
    'book/01.md': [
      '<!-- runbook: ingress id=gateway -->',
      '',
      '```bash run id=through-gateway',
      'echo "GATEWAY_URL=$GATEWAY_URL"',
      talk('$INGRESS_PORT', 'GET /productpage'),
      '```',
      '',
      `<!-- runbook: port-forward service=kiali namespace=istio-system port=${local}:20001 id=kiali -->`,
      '',
      '```bash run id=through-kiali',
      talk(String(local), 'GET /kiali'),
      '```',
      '',
    ].join('\n'),
  });
  const r = await runCli(['run', 'book', '--report', 'run.json'], { cwd: dir, env: { KUBECONFIG: fixture.kubeconfig, HOME: dir } });
  t.equal(r.code, 0, r.out);
  const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const step = (id: string) => report.steps.find((s: { id: string }) => s.id === id);
  const port = step('gateway').data.ingress.INGRESS_PORT as string;
  t.equal(step('through-gateway').output, `GATEWAY_URL=127.0.0.1:${port}\ngateway:GET /productpage\n`);
  t.equal(step('through-kiali').output, 'kiali:GET /kiali\n');
  t.match(step('gateway').output, /because the service is of type NodePort/);
  t.notOk(await stillForwards(Number(port), 'gateway:'), 'the ingress port-forward ended with the run');
  t.notOk(await stillForwards(local, 'kiali:'), 'the kiali port-forward ended with the run');
});
