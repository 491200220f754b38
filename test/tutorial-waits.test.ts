// The tutorial waits for Istio itself: every Istio object a step applies (from manifests/, an inline
// manifest, or a sample of the release whose objects the step's output lists) is named by a
// `wait istio` before the next step that sends traffic or reads a proxy's configuration, and before
// the chapter ends. Once the mesh has the configuration a check is a `run`: the first check after a
// wait may stay a `verify` only for a reason written down here (the outcome depends on more than the
// configuration). And the chapters leave nothing on the cluster but what 02 and 03 declare.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { loadRunbook } from '../engine/read/index.ts';
import { istioKind } from '../engine/kube/istio-kinds.ts';
import type { CommandStep, DirectiveStep, Step } from '../engine/model.ts';

/** The first check after a `wait istio` that stays a verify, and why the wait is not enough. */
const JUSTIFIED: Record<string, string> = {
  'productpage-through-gateway': 'a new AWS load balancer needs a minute or two before it passes traffic',
  'first-red-stars': 'reviews v3 answers about every other request: the check waits for one, by chance',
  'https-teapot': 'the gateway gets the certificate over SDS, which wait istio does not look at',
  'egress-example-com': 'example.com is a host on the internet',
  'egress-google': 'www.google.com is a host on the internet',
  'authz-page-allow-nothing': 'an inbound policy: connections the gateway keeps open to productpage stay with the old listener until closed',
  'authz-page-productpage-viewer': 'an inbound policy: connections kept open stay with the old listener until closed',
  'authz-page-details-viewer': 'an inbound policy: connections kept open stay with the old listener until closed',
  'authz-page-reviews-viewer': 'an inbound policy on kept-open connections, and only reviews v2 and v3 (chosen at random) call ratings',
  'authz-page-ratings-viewer': 'an inbound policy on kept-open connections, and only reviews v2 and v3 (chosen at random) show stars',
  'plugin-ca-fetch-server-chain': 'the workloads were restarted after the wait, with certificates from the new CA',
  'https-from-foo': 'httpbin-https has no readiness probe: a Ready pod may not listen yet',
  'mtls-migration-matrix-permissive': 'httpbin has no readiness probe: a Ready pod may not listen yet',
  'ratelimit-global-active': 'the rate limit service has just started and counts per calendar minute',
  'deny-get-403': 'an inbound policy: the connection curl\'s sidecar keeps open to httpbin stays with the old listener until closed',
  'deny-get-admin-200': 'an inbound policy on a kept-open connection',
  'deny-ip-guest-403': 'an inbound policy on a kept-open connection',
  'tcp-metrics-page-with-db-ratings': 'MongoDB has just started: ratings v2 reaches it when it accepts connections',
  'accesslog-filter-effect': 'an inbound setting on a kept-open connection, and the log reaches kubectl logs with a delay',
  'jason-delay-breaks-reviews': 'a latency check: on a busy runner one page can take longer than the injected delay explains',
  'timeouts-page-waits-for-ratings': 'a latency check: on a busy runner one page can take longer than the injected delay explains',
  'timeouts-page-is-fast': 'a latency check: on a busy runner one page can take longer than the route timeout explains',
};

interface IstioObject { kind: string; namespace: string; name: string; by: string }

const runbook = loadRunbook('runbook/');
const key = (o: Omit<IstioObject, 'by'>) => `${o.kind} ${o.namespace}/${o.name}`;
const isWaitIstio = (s: Step): s is DirectiveStep => s.type === 'directive' && s.verb === 'wait' && s.args[0] === 'istio';
const isIstioGroup = (apiVersion: unknown) => typeof apiVersion === 'string' && /^[a-z.]*istio\.io\//.test(apiVersion);

/** Steps that send traffic into the mesh or read a proxy's configuration: they need the mesh in sync. */
function sendsTraffic(step: Step): boolean {
  if (step.type === 'directive') return step.verb === 'screenshot';
  // curl as a command (not samples/curl/curl.yaml), fortio's binary, kubectl exec, a proxy's config dump, a TLS handshake.
  return (step.kind === 'run' || step.kind === 'verify') && /(?<![\w/.-])curl\s|\/usr\/bin\/fortio\s|kubectl exec|istioctl proxy-config|openssl s_client/.test(step.code);
}

const words = (line: string) => line.trim().split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ''));

function flag(parts: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < parts.length; i++) {
    if (names.includes(parts[i])) return parts[i + 1];
    for (const n of names) if (parts[i].startsWith(`${n}=`)) return parts[i].slice(n.length + 1);
  }
  return undefined;
}

function fromManifest(text: string, namespace: string, by: string): IstioObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } | null)
    .filter((o) => o && isIstioGroup(o.apiVersion))
    .map((o) => ({ kind: istioKind(o!.kind!)!.singular, namespace: o!.metadata?.namespace ?? namespace, name: o!.metadata!.name!, by }));
}

/** What a step's output says it applied: `virtualservice.networking.istio.io/reviews configured`. */
function fromListing(step: CommandStep, namespace: string): IstioObject[] {
  const text = [step.expect?.text, step.output?.todo ? '' : step.output?.text].join('\n');
  return [...text.matchAll(/^([a-z]+)\.[a-z]+\.istio\.io\/([a-z0-9.-]+) (?:created|configured|unchanged)$/gm)]
    .map((m) => ({ kind: istioKind(m[1])!.singular, namespace, name: m[2], by: step.id }));
}

/** The Istio objects a command step applies with `kubectl apply`. */
export function appliedIstioObjects(step: CommandStep): IstioObject[] {
  const lines = step.code.split('\n');
  const objects: IstioObject[] = [];
  let listed = false;
  for (let i = 0; i < lines.length; i++) {
    const parts = words(lines[i]);
    const at = parts.findIndex((w, n) => w === 'apply' && parts[n - 1] === 'kubectl');
    if (at < 0) continue;
    const namespace = flag(parts, '-n', '--namespace') ?? 'default';
    const file = flag(parts, '-f', '--filename');
    if (file === '-') {
      const end = /<<-?'?(\w+)'?/.exec(lines[i])?.[1];
      const body: string[] = [];
      for (i++; i < lines.length && lines[i].trim() !== end; i++) body.push(lines[i]);
      objects.push(...fromManifest(body.join('\n'), namespace, step.id));
    } else if (file?.startsWith('manifests/')) {
      objects.push(...fromManifest(readFileSync(file, 'utf8'), namespace, step.id));
    } else if (file && /\/samples\/[^/]+\/networking\//.test(file) && !listed) {
      // The release is not here to read; what the step's output lists is what its applies did.
      const fromOutput = fromListing(step, namespace);
      if (!fromOutput.length) throw new Error(`${step.position.file}:${step.position.line}: step ${step.id} applies ${file}, but its output does not list the objects`);
      objects.push(...fromOutput);
      listed = true;
    }
  }
  return objects;
}

function namedBy(wait: DirectiveStep): Set<string> {
  const first = wait.attrs.namespace.split(',')[0].trim();
  return new Set((wait.attrs.resources ?? '').split(',').filter(Boolean).map((item) => {
    const parts = item.trim().split('/');
    return key({ kind: istioKind(parts[0])!.singular, namespace: parts.length === 3 ? parts[1] : first, name: parts[parts.length - 1] });
  }));
}

t.test('the reader finds the Istio objects of the tutorial\'s applies', async (t) => {
  const step = (id: string) => runbook.steps.find((s): s is CommandStep => s.id === id && s.type === 'command')!;
  t.same(appliedIstioObjects(step('authn-apply-request-authentication')).map(key), ['requestauthentication istio-system/jwt-example'], 'an inline manifest');
  t.same(appliedIstioObjects(step('apply-circuit-breaker')).map(key), ['destinationrule default/httpbin'], 'a manifest of the repository');
  t.same(appliedIstioObjects(step('fault-injection-routing')).map(key).sort(), [
    'virtualservice default/details', 'virtualservice default/productpage', 'virtualservice default/ratings', 'virtualservice default/reviews', 'virtualservice default/reviews',
  ], 'a sample of the release, from the objects its output lists');
  t.same(appliedIstioObjects(step('plugin-ca-setup-foo')).map(key), ['peerauthentication foo/default'], 'only the Istio objects of a mixed step');
  t.same(appliedIstioObjects(step('deploy-bookinfo')), [], 'no Istio objects');
});

t.test('every Istio object applied is waited for before traffic, and the first check after a wait is a run', async (t) => {
  const justifiedSeen = new Set<string>();
  let applies = 0;
  let waits = 0;
  for (const file of runbook.files) {
    const pending = new Map<string, IstioObject>();
    const unsynced: string[] = [];
    const unjustified: string[] = [];
    let afterWait: DirectiveStep | undefined;
    for (const step of file.steps.filter((s) => s.kind !== 'cleanup' && s.kind !== 'skip')) {
      if (isWaitIstio(step)) {
        waits++;
        const named = namedBy(step);
        if (!named.size) unsynced.push(`${step.id} names no resources: it cannot tell that istiod has seen the change`);
        for (const k of named) pending.delete(k);
        afterWait = step;
        continue;
      }
      if (step.type === 'command') {
        const applied = appliedIstioObjects(step);
        if (applied.length) applies++;
        for (const o of applied) pending.set(key(o), o);
      }
      if (!sendsTraffic(step)) continue;
      for (const o of pending.values()) unsynced.push(`${step.id} before a wait istio for ${key(o)} (applied by ${o.by})`);
      pending.clear();
      if (afterWait && step.kind === 'verify') {
        if (!JUSTIFIED[step.id]) unjustified.push(`${step.id} (the first check after ${afterWait.id})`);
        justifiedSeen.add(step.id);
      }
      afterWait = undefined;
    }
    for (const o of pending.values()) unsynced.push(`the chapter's end before a wait istio for ${key(o)} (applied by ${o.by})`);
    t.same(unsynced, [], `${file.relPath}: every Istio object applied is named by a wait istio before the next traffic and before the chapter ends`);
    t.same(unjustified, [], `${file.relPath}: the first check after a wait istio is a run (or JUSTIFIED says why it is a verify)`);
  }
  t.same(Object.keys(JUSTIFIED).filter((id) => !justifiedSeen.has(id)), [], 'every justified verify is a first check after a wait');
  t.ok(applies >= 50 && waits >= 50, `the tutorial applies Istio config (${applies} steps) and waits for it (${waits} waits)`);
});

t.test('no verify polls a proxy\'s configuration: the wait does that', async (t) => {
  const polls = runbook.steps.filter((s) => s.type === 'command' && s.kind === 'verify' && /istioctl proxy-config/.test(s.code)).map((s) => s.id);
  t.same(polls, []);
});

t.test('leftovers: the check is on, and only the chapters the others build on leave things behind', async (t) => {
  t.equal(runbook.settings.leftovers, 'fail');
  const leaving = runbook.files.filter((f) => f.chapter.leaves.length).map((f) => f.relPath);
  t.same(leaving, ['02-install-istio.md', '03-bookinfo.md']);
});
