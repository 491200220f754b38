import t from 'tap';
import { matchers } from '../engine/match/index.ts';
import { tokensAlike, generatedNameStem } from '../engine/match/alike.ts';

const { exact, contains, regex, lines, elided, like } = matchers;

t.test('exact ignores trailing whitespace and surrounding blank lines only', async (t) => {
  t.ok(exact('a\nb', '\n\na  \nb\n\n').ok);
  t.notOk(exact('a\nb', 'a\n\nb').ok);
  const r = exact('a\nb\nc', 'a\nx\nc');
  t.notOk(r.ok);
  t.match(r.diff, /-b\n\+x/);
});

t.test('contains finds the text anywhere', async (t) => {
  t.ok(contains('Running', 'pod  Running  0').ok);
  const r = contains('Pending', 'pod Running');
  t.notOk(r.ok);
  t.match(r.diff, /expected the output to contain:\n {2}Pending/);
});

t.test('regex uses the m flag and reports bad patterns', async (t) => {
  t.ok(regex('^HTTP/1.1 200', 'x\nHTTP/1.1 200 OK\n').ok);
  t.notOk(regex('^200', 'HTTP 200').ok);
  t.match(regex('(', 'x').diff, /does not compile/);
});

t.test('lines: every expected line somewhere, any order', async (t) => {
  t.ok(lines('b\na', 'a\nc\nb').ok);
  const r = lines('a\nz', 'a\nb');
  t.notOk(r.ok);
  t.match(r.diff, /- z/);
});

t.test('elided: ... matches any run of lines, zero included', async (t) => {
  t.ok(elided('first\n...\nlast', 'first\nx\ny\nlast').ok);
  t.ok(elided('first\n...\nlast', 'first\nlast').ok);
  t.ok(elided('...\nlast', 'a\nb\nlast').ok);
  t.notOk(elided('first\nlast', 'first\nx\nlast').ok, 'no ... means no extra lines');
  t.notOk(elided('first\n...\nlast', 'first\nx\nlast\nmore').ok, 'anchored at the end');
});

t.test('like: kubectl get pods with other hashes, ages and spacing', async (t) => {
  const expected = `NAME                              READY   STATUS    RESTARTS   AGE
details-v1-5f4d584748-ghjkl       2/2     Running   0          2m
reviews-v1-7d4f8b6c9-x2x9k        2/2     Running   0          32s`;
  const actual = `NAME                             READY   STATUS    RESTARTS   AGE
details-v1-79dfbd6fff-q2w8j      2/2     Running   0          5m2s
reviews-v1-5b4f9d8c7-abcde       2/2     Running   0          1h`;
  t.ok(like(expected, actual).ok);
  t.notOk(like(expected, actual.replace('2/2     Running   0          1h', '1/2     Running   0          1h')).ok, 'READY differs');
  t.notOk(like(expected, actual.replace('Running   0          5m2s', 'Pending   0          5m2s')).ok, 'STATUS differs');
  t.notOk(like(expected, actual + '\nratings-v1-5b4f9d8c7-abcde 2/2 Running 0 1h').ok, 'extra line');
  t.notOk(like(expected, actual.split('\n').slice(0, 2).join('\n')).ok, 'missing line');
});

t.test('like: kubectl get svc with IPs and the istioctl install output', async (t) => {
  t.ok(
    like(
      'NAME                   TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\nistio-ingressgateway   LoadBalancer   10.96.12.1     172.18.0.7    80:31380/TCP   3m',
      'NAME  TYPE  CLUSTER-IP  EXTERNAL-IP  PORT(S)  AGE\nistio-ingressgateway LoadBalancer 10.100.200.3 172.18.255.200 80:31380/TCP 10s',
    ).ok,
  );
  t.notOk(like('istio-ingressgateway LoadBalancer 10.96.12.1 <pending> 80:31380/TCP 3m', 'istio-ingressgateway LoadBalancer 10.96.12.1 172.18.0.7 80:31380/TCP 3m').ok, '<pending> is not an IP');
  t.ok(
    like(
      '✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n...\n✔ Installation complete',
      '✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Egress gateways installed 🛫\n✔ Ingress gateways installed 🛬\n✔ Installation complete',
    ).ok,
  );
  t.ok(like('created at 2024-01-02T03:04:05Z by ...', 'created at 2026-11-26T00:23:40.123+00:00 by admin').ok);
});

t.test('alike tokens', async (t) => {
  t.ok(tokensAlike('32s', '5m2s'));
  t.ok(tokensAlike('...', 'anything'));
  t.ok(tokensAlike('10.0.0.1', '192.168.1.20'));
  t.notOk(tokensAlike('10.0.0.1', '10.0.0'));
  t.notOk(tokensAlike('1/2', '2/2'));
  t.notOk(tokensAlike('v1', 'v2'));
  t.equal(generatedNameStem('reviews-v1-7d4f8b6c9-x2x9k'), 'reviews-v1');
  t.equal(generatedNameStem('istio-ingressgateway-6bb8fb6549-xk2pz'), 'istio-ingressgateway');
  t.equal(generatedNameStem('reviews'), undefined);
  t.notOk(tokensAlike('reviews-v1-7d4f8b6c9-x2x9k', 'reviews-v2-7d4f8b6c9-x2x9k'), 'different stems');
});

t.test('diff shows alike lines as context and real differences as -/+', async (t) => {
  const r = like('a 1s\nb 2/2\nc', 'a 5m\nb 1/2\nc');
  t.notOk(r.ok);
  t.match(r.diff, / a 5m/);
  t.match(r.diff, /-b 2\/2\n\+b 1\/2/);
});
