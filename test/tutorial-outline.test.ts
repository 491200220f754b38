// The tutorial as its readers find it: chapter and section headings of the rendered README keep the
// task names of the original outline (Istio 1.0's task names), and a step that shows a file of the
// repository (`cat manifests/…`) shows it as it is.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadRunbook } from '../engine/read/index.ts';

const ORIGINAL_NAMES = [
  'Request Routing',
  'Fault Injection',
  'Traffic Shifting',
  'Request Timeouts',
  'Control Ingress Traffic',
  'Securing Gateways with HTTPS',
  'Control Egress Traffic',
  'Circuit Breaking',
  'Mirroring',
  'Destination Rules',
  'Authentication Policy',
  'Mutual TLS Migration',
  'Authorization for HTTP Services',
  'Plugging in External CA Key and Certificate',
  'Citadel Health Checking',
  'Mutual TLS over HTTPS Services',
  'Enabling Rate Limits',
  'Denials and White/Black Listing',
  'Distributed Tracing',
  'Collecting Metrics',
  'Querying Metrics from Prometheus',
  'Collecting Metrics for TCP Services',
  'Visualizing Metrics with Grafana',
  'Generating a Service Graph',
  'Logging with Fluentd',
  'Canary Deployment',
  'Cleanup',
];

t.test('the rendered headings carry the original section names', async (t) => {
  const headings = readFileSync('README.adoc', 'utf8')
    .split('\n')
    .filter((line) => /^={2,6} /.test(line));
  for (const name of ORIGINAL_NAMES) {
    t.ok(
      headings.some((h) => h.includes(name)),
      `a heading contains "${name}"`,
    );
  }
});

t.test('a step that shows a file of the repository shows it as it is', async (t) => {
  const runbook = loadRunbook('runbook/');
  const shows = runbook.steps.filter((s) => s.type === 'command' && /^cat (manifests\/\S+)$/.test(s.code) && s.output && !s.output.todo);
  t.ok(shows.length >= 8, 'the tutorial shows its manifests');
  for (const step of shows) {
    const file = /^cat (\S+)$/.exec(step.type === 'command' ? step.code : '')![1];
    t.equal(step.output!.text, readFileSync(file, 'utf8').replace(/\n$/, ''), `${step.id} shows ${file}`);
  }
});
