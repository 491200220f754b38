// The directive records (engine/directives/records/*): every attribute of every directive checked
// when the runbook is read — a bad value is exit 2 with file:line before anything runs — and again
// when a $VAR expands into a bad one; each record renders, names its namespaces, says whether it
// needs a cluster; `leaves:` and `leftovers:` are checked at read time too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DIRECTIVES, definitionOf } from '../engine/directives/index.ts';
import { directiveName } from '../engine/directives/definition.ts';
import { loadRunbook } from '../engine/read/index.ts';
import type { RunbookError, RunbookErrors } from '../engine/errors.ts';
import { parseLeftObject } from '../engine/read/chapter-meta.ts';
import { renderDirective } from '../engine/render/directives.ts';
import type { DirectiveStep } from '../engine/model.ts';
import type { ChapterContext } from '../engine/render/types.ts';
import { emptySettings } from '../engine/read/settings.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const marker = 'touch "$RUNBOOK_ROOT/ran"';
const book = (directive: string) => `# t\n\n\`\`\`bash run id=first\n${marker}\n\`\`\`\n\n${directive}\n`;

t.test('a bad attribute value is exit 2 with file:line, and nothing runs', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['<!-- runbook: port-forward service=kiali namespace=istio-system port=99999 -->', /:7: bad port=99999: 99999 is not a TCP port \(1-65535\)/],
    ['<!-- runbook: port-forward service=kiali port=8080:0 -->', /:7: bad port=8080:0: 0 is not a TCP port/],
    ['<!-- runbook: port-forward service=kiali port=80:80:80 -->', /:7: bad port=80:80:80: "80:80:80" is not LOCAL or LOCAL:REMOTE/],
    ['<!-- runbook: port-forward service=kiali pod=kiali-1 port=8080 -->', /:7: port-forward takes service= or pod=, not both/],
    ['<!-- runbook: wait rollout namespace=default id= -->', /:7: id= is empty: give it a value or leave it out/],
    ['<!-- runbook: wait rollout namespace=default id=a/b -->', /:7: bad id=a\/b: "a\/b" is not an id/],
    ['<!-- runbook: wait rollout namespace=Bad_NS -->', /:7: bad namespace=Bad_NS: "Bad_NS" is not a valid name/],
    ['<!-- runbook: wait rollout namespace=default name=Web -->', /:7: bad name=Web: "Web" is not a valid name/],
    ['<!-- runbook: wait pods namespace=default selector="app in (a,b" -->', /:7: bad selector=app in \(a,b: unbalanced "\(" in selector/],
    ['<!-- runbook: wait pods namespace=default selector=app=productpage name=x -->', /:7: wait pods takes no name=; it takes namespace= selector=/],
    ['<!-- runbook: wait pods -->', /:7: wait needs namespace=/],
    ['<!-- runbook: wait istio namespace=default resources=vs -->', /:7: bad resources=vs: "vs" is not KIND\/NAME or KIND\/NAMESPACE\/NAME/],
    ['<!-- runbook: wait istio namespace=default resources=virtualserv/reviews -->', /:7: bad resources=virtualserv\/reviews: "virtualserv" is not an Istio kind; use one of virtualservice, destinationrule/],
    ['<!-- runbook: wait istio namespace=default,Foo -->', /:7: bad namespace=default,Foo: "Foo" is not a valid name/],
    ['<!-- runbook: wait gateway namespace=default -->', /:7: wait needs name=/],
    ['<!-- runbook: wait gateway namespace=default name=gw routes=ingress/x -->', /:7: bad routes=ingress\/x: "ingress" is not a Gateway API route kind/],
    ['<!-- runbook: ingress service=Istio -->', /:7: bad service=Istio:/],
    ['<!-- runbook: screenshot url=ftp://x/ file=images/a.png -->', /:7: bad url=ftp:\/\/x\/: "ftp:\/\/x\/" is not an http\(s\) URL/],
    ['<!-- runbook: screenshot url=http://127.0.0.1/ file=images/a.jpg -->', /:7: bad file=images\/a\.jpg: file=images\/a\.jpg must be a \.png/],
    ['<!-- runbook: screenshot url=http://127.0.0.1/ file=a.png selector=#x full-page -->', /:7: use selector= \(one element\) or full-page/],
    ['<!-- runbook: screenshot url=http://127.0.0.1/ file=a.png wait-for="  " -->', /:7: wait-for= is empty/],
  ];
  const dir = tempDir(t);
  for (const [directive, expected] of cases) {
    writeFiles(dir, { 'book.md': book(directive) });
    const error = (() => {
      try {
        loadRunbook(join(dir, 'book.md'));
        return undefined;
      } catch (e) {
        return e as RunbookError | RunbookErrors;
      }
    })();
    t.ok(error, `${directive}: refused when read`);
    t.equal(error?.exitCode, 2, `${directive}: exit 2`);
    t.match(error?.message, expected, directive);
  }
  // The CLI, once: exit 2, file:line, no stack trace, and the first step never ran.
  writeFiles(dir, { 'book.md': book(cases[0][0]) });
  const result = await runCli(['run', 'book.md'], { cwd: dir });
  t.equal(result.code, 2, result.out);
  t.match(result.out, /book\.md:7: bad port=99999: 99999 is not a TCP port \(1-65535\)/);
  t.notOk(existsSync(join(dir, 'ran')), 'nothing ran');
  t.notMatch(result.out, /\n\s+at /, 'no stack trace');
});

t.test('values from $VARS are judged when the step runs, naming the line and the expansion', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'book.md': book('<!-- runbook: port-forward service=kiali namespace=istio-system port=$KIALI_PORT -->') });
  t.ok(loadRunbook(join(dir, 'book.md')), 'the reader leaves $KIALI_PORT for the run');
  const result = await runCli(['run', 'book.md', '--set', 'KIALI_PORT=99999'], { cwd: dir });
  t.equal(result.code, 1, result.out);
  t.match(result.out, /book\.md:7: bad port=99999: 99999 is not a TCP port \(1-65535\) \(expanded from port=\$KIALI_PORT\)/);
  t.ok(existsSync(join(dir, 'ran')), 'the steps before it ran');
});

t.test('leaves: entries and the leftovers: setting are checked when read', async (t) => {
  t.same(parseLeftObject('VirtualService default/reviews'), { kind: 'VirtualService', namespace: 'default', name: 'reviews' });
  t.same(parseLeftObject('Namespace istio-system'), { kind: 'Namespace', namespace: undefined, name: 'istio-system' });
  t.same(parseLeftObject('deployments.apps istio-system/*'), { kind: 'deployments.apps', namespace: 'istio-system', name: '*' });
  t.same(parseLeftObject('Namespace default label istio-injection'), { kind: 'Namespace', namespace: undefined, name: 'default', label: 'istio-injection' });
  for (const bad of ['virtualservice/reviews', 'VirtualService a/b/c', 'VirtualService Reviews', 'Namespace x label', '1Kind x']) {
    t.type(parseLeftObject(bad), 'string', `"${bad}" is refused`);
  }
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'leftovers: fail\n',
    'book/01.md': `---\nleaves:\n  - Namespace foo\n  - virtualservice/reviews\n---\n${book('')}`,
  });
  const leaves = await runCli(['run', 'book'], { cwd: dir });
  t.equal(leaves.code, 2);
  t.match(leaves.out, /01\.md:4: bad leaves entry "virtualservice\/reviews": expected KIND \[NAMESPACE\/\]NAME/);
  t.match(leaves.out, /KIND NAMESPACE\/NAME/, 'with the format');
  writeFiles(dir, { 'book/runbook.yaml': 'leftovers: maybe\n', 'book/01.md': book('') });
  const setting = await runCli(['run', 'book'], { cwd: dir });
  t.equal(setting.code, 2);
  t.match(setting.out, /runbook\.yaml:1: bad leftovers: maybe/);
  t.notOk(existsSync(join(dir, 'book', 'ran')));
});

t.test('every record renders, names its namespaces, and is found by verb and subject', async (t) => {
  const names = DIRECTIVES.map(directiveName);
  t.same(names, ['wait rollout', 'wait pods', 'wait istio', 'wait gateway', 'ingress', 'port-forward', 'screenshot']);
  t.equal(new Set(names).size, names.length, 'one record per form');
  const ctx = { runbook: { settings: emptySettings() }, cwd: tempDir(t), outDir: '.', images: new Set() } as unknown as ChapterContext;
  const step = (verb: string, args: string[], attrs: Record<string, string>): DirectiveStep => ({
    type: 'directive', kind: 'run', verb, args, attrs, flags: [], span: { start: 0, end: 0 }, id: 'x', explicitId: true,
    position: { file: 'f.md', line: 1 }, section: [], exit: 0, targets: [], tags: [], hidden: false, streamStdoutOnly: false,
  });
  const rendered = (s: DirectiveStep) => renderDirective(s, ctx).join('\n');
  t.match(rendered(step('wait', ['istio'], { namespace: 'default,foo', resources: 'vs/reviews', timeout: '2m' })), /istioctl proxy-status --namespace default\nistioctl proxy-status --namespace foo\n# and the resources show no error:\nistioctl analyze --namespace default/);
  t.match(
    rendered(step('wait', ['istio'], { namespace: 'foo', resources: 'peerauthentication/istio-system/default,vs/reviews,dr/foo/x' })),
    /# and the resources show no error:\nistioctl analyze --namespace istio-system\nistioctl analyze --namespace foo\n# \(the run/,
    'each resource is analysed in its own namespace, once per namespace',
  );
  t.match(rendered(step('wait', ['gateway'], { namespace: 'default', name: 'httpbin-gateway', routes: 'httproute/httpbin', timeout: '3m' })),
    /kubectl -n default wait --for=condition=programmed gateways\.gateway\.networking\.k8s\.io\/httpbin-gateway --timeout=3m\nkubectl -n default wait --for=jsonpath='\{\.status\.parents\[0\]\.conditions\[\?\(@\.type=="Accepted"\)\]\.status\}'=True httproutes\.gateway\.networking\.k8s\.io\/httpbin --timeout=3m/);
  t.match(rendered(step('wait', ['rollout'], { namespace: 'default', name: 'web' })), /kubectl -n default rollout status deployment\/web --timeout=10m/);
  t.same(definitionOf(step('wait', ['istio'], { namespace: 'default,foo' }))!.namespaces(step('wait', ['istio'], { namespace: 'default,foo' })), ['default', 'foo', 'istio-system']);
  t.same(DIRECTIVES.filter((d) => !d.needsCluster).map(directiveName), ['screenshot'], 'only the screenshot needs no cluster');
  for (const d of DIRECTIVES) t.ok(d.summary.length > 20, `${directiveName(d)} has a summary`);
  t.throws(() => renderDirective(step('nope', [], {}), ctx), /no renderer for the nope directive at f\.md:1/);
});
