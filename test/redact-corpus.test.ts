// Every secret shape the engine knows, printed by real steps, checked in every sink a run
// writes: the terminal, JSON, JUnit and HTML reports, diffs, the written-back source — and an
// expectation written by --update-expected over masked output still matches the next run.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRedactor, MASK } from '../engine/write/redact.ts';
import { filterState, withoutSecrets } from '../engine/execute/shell-state.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const pem = (kind: string) => `-----BEGIN ${kind}-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END ${kind}-----`;
const PEM_B64 = Buffer.from(pem('PRIVATE KEY') + '\n').toString('base64');

/** Each shape: what a step prints, and the secret part that must never be seen. */
const SHAPES: { name: string; text: string; secret: string }[] = [
  { name: 'AWS access key id followed by _', text: 'backup AKIAIOSFODNN7EXAMPLE_old', secret: 'AKIAIOSFODNN7EXAMPLE' },
  { name: 'AWS secret access key', text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  { name: 'JSON access_token', text: '{"access_token": "at-9f8e7d6c5b4a39281706", "token_type": "Bearer"}', secret: 'at-9f8e7d6c5b4a39281706' },
  { name: 'JSON client_secret', text: '{"client_id":"app","client_secret":"cs-0123456789abcdef"}', secret: 'cs-0123456789abcdef' },
  { name: 'base64 PEM key in a Kubernetes Secret', text: `  tls.key: ${PEM_B64}`, secret: PEM_B64.slice(0, 40) },
  { name: 'base64 PEM key anywhere', text: `data ${PEM_B64} end`, secret: PEM_B64.slice(20, 60) },
  { name: 'credentials in a URL', text: 'cloning https://deploy:pa55-w0rd-x@git.example.com/repo.git', secret: 'pa55-w0rd-x' },
  { name: 'Authorization: Basic', text: 'Authorization: Basic dXNlcjpodW50ZXIyaHVudGVyMg==', secret: 'dXNlcjpodW50ZXIyaHVudGVyMg' },
  { name: 'Authorization: Bearer', text: 'Authorization: Bearer abc.def-ghi_123456', secret: 'abc.def-ghi_123456' },
  { name: 'a bearer token under a secret-looking key', text: 'token: Bearer abcdef0123456789xyz', secret: 'abcdef0123456789xyz' },
  { name: 'PEM private key', text: pem('RSA PRIVATE KEY'), secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7' },
  { name: 'PGP private key block', text: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGXpgp0BCADgFakeKeyMaterial\n-----END PGP PRIVATE KEY BLOCK-----', secret: 'lQOYBGXpgp0BCADgFakeKeyMaterial' },
  { name: 'GitHub classic token', text: 'token ghp_0123456789abcdefghijABCDEFGHIJ012345 used', secret: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' },
  { name: 'GitHub fine-grained token', text: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', secret: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz' },
  { name: 'Slack token', text: 'SLACK xoxb-1234567890-0987654321-AbCdEfGhIjKl', secret: 'xoxb-1234567890-0987654321-AbCdEfGhIjKl' },
  {
    name: 'GCP service-account JSON',
    text: `{"type": "service_account", "private_key_id": "3f2a1b0c9d8e7f6a5b4c", "private_key": "${pem('PRIVATE KEY').replace(/\n/g, '\\\\n')}\\\\n"}`,
    secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  },
  { name: 'GCP private_key_id', text: '"private_key_id": "3f2a1b0c9d8e7f6a5b4c"', secret: '3f2a1b0c9d8e7f6a5b4c' },
  { name: 'Azure connection string', text: 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net', secret: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA' },
  { name: 'JWT', text: 'id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0ZXIifQ.c2lnbmF0dXJlLXBhcnQ', secret: 'eyJzdWIiOiJ0ZXN0ZXIifQ' },
  { name: 'kubeconfig client key', text: '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=', secret: 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo' },
  { name: 'password in YAML', text: 'password: "p@ss!w0rd#42"', secret: 'p@ss!w0rd#42' },
];

t.test('each shape is masked, and its surroundings are kept', async (t) => {
  const redact = makeRedactor();
  for (const { name, text, secret } of SHAPES) {
    const out = redact(text);
    t.notOk(out.includes(secret), `${name}: ${out}`);
    t.ok(out.includes(MASK), `${name}: masked`);
  }
  t.equal(redact('backup AKIAIOSFODNN7EXAMPLE_old'), `backup ${MASK}_old`);
  t.equal(redact('https://deploy:pa55-w0rd-x@git.example.com/x'), `https://deploy:${MASK}@git.example.com/x`);
  t.equal(redact('{"client_secret":"cs-0123456789abcdef"}'), `{"client_secret":"${MASK}"}`);
});

t.test('look-alikes stay as they are', async (t) => {
  const redact = makeRedactor();
  for (const text of [
    'secretName: istio-ingressgateway-certs',
    'credentialName: httpbin-credential',
    'kind: Secret',
    'tokens: 12',
    'PWD=/root/work',
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    `ca.crt: ${Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n').toString('base64')}`,
    'sha 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 stays',
    'https://example.com:8443/path',
    'Basic authentication is enabled',
  ]) {
    t.equal(redact(text), text, text);
  }
});

t.test('literal secrets are masked longest first: a longer one that contains a shorter one leaks no tail', async (t) => {
  const redact = makeRedactor([], ['hunter2-db', 'hunter2-db-replica-key']);
  t.equal(redact('primary hunter2-db, replica hunter2-db-replica-key'), `primary ${MASK}, replica ${MASK}`);
  const learning = makeRedactor([], ['hunter2-db']);
  learning.learn(['hunter2-db-replica-key']);
  t.equal(learning('hunter2-db-replica-key'), MASK, 'learned values are ordered with the rest');
});

t.test('redaction is linear: an 8 MB output of near misses takes milliseconds, not seconds', async (t) => {
  const redact = makeRedactor(['acct-[0-9]{12}'], ['some-long-secret-value']);
  const line = 'token password secret https://a.b.c.d bearer AKIA eyJ LS0tLS1CRUdJTi a.a.a.a.a.a.a.a key=short\n';
  const text = line.repeat(Math.ceil((8 * 1024 * 1024) / line.length));
  const started = process.cpuUsage();
  const out = redact(text);
  const cpuMs = (process.cpuUsage(started).user + process.cpuUsage(started).system) / 1000;
  t.equal(out.length, text.length, 'near misses are not masked');
  t.comment(`8 MB redacted in ${cpuMs.toFixed(0)} ms of CPU`);
});

t.test('a saved state can drop its secret-looking variables and name them', async (t) => {
  const state = filterState('declare -x DB_PASSWORD="hunter2hunter2"\ndeclare -x PLAIN="keep"\ndeclare -a TOKENS=([0]="tok-one-1234" [1]="tok-two-5678")\nf () \n{ \n    echo "$DB_PASSWORD"\n}\ncd -- /tmp\n');
  t.same([...state.secrets.keys()].sort(), ['DB_PASSWORD', 'TOKENS']);
  t.same(state.secrets.get('TOKENS'), ['tok-one-1234', 'tok-two-5678']);
  const saved = withoutSecrets(state);
  t.same(saved.secretNames.sort(), ['DB_PASSWORD', 'TOKENS']);
  t.notMatch(saved.text, /hunter2|tok-one|tok-two/);
  t.match(saved.text, /PLAIN="keep"/);
  t.match(saved.text, /echo "\$DB_PASSWORD"/, 'functions are kept as they are');
  t.match(saved.text, /cd -- \/tmp/);
});

const EXPORTED = 'Exp0rted-Db-Pw-991';
const ENV_TOKEN = 'env-held-token-5538';

t.test('in every sink: terminal, JSON, JUnit, HTML, diffs and the written-back source', async (t) => {
  const dir = tempDir(t);
  const printed = SHAPES.map((s) => s.text).join('\n');
  const runbook = [
    '```bash run id=exports',
    `export DB_PASSWORD=${EXPORTED}`,
    'echo "the password is $DB_PASSWORD"',
    '```',
    '```bash run id=later',
    'echo "still $DB_PASSWORD and $CI_DEPLOY_TOKEN"',
    '```',
    '```text output',
    'TODO',
    '```',
    '```bash run id=shapes',
    "cat <<'EOF'",
    printed,
    'EOF',
    '```',
    '```text output',
    'TODO',
    '```',
    '```bash run id=fails',
    'echo "$DB_PASSWORD"; printf "%s\\n" "$CI_DEPLOY_TOKEN" ghp_0123456789abcdefghijABCDEFGHIJ012345',
    '```',
    '```text expect-output match=exact',
    'nothing like it',
    '```',
    '',
  ].join('\n');
  writeFiles(dir, { 's.md': runbook });
  const r = await runCli(['run', 's.md', '--keep-going', '--write', '--report', 'r.json', '--report', 'r.xml', '--report', 'r.html'], {
    cwd: dir,
    env: { CI_DEPLOY_TOKEN: ENV_TOKEN },
  });
  t.equal(r.code, 1, 'the last step fails on its expectation');
  const sinks: Record<string, string> = {
    terminal: r.out,
    'JSON report': readFileSync(join(dir, 'r.json'), 'utf8'),
    'JUnit report': readFileSync(join(dir, 'r.xml'), 'utf8'),
    'HTML report': readFileSync(join(dir, 'r.html'), 'utf8'),
    // What --write put into the source: the bodies of its output blocks (the code is the author's).
    'written-back source': [...readFileSync(join(dir, 's.md'), 'utf8').matchAll(/```text output\n([\s\S]*?)```/g)].map((m) => m[1]).join(''),
  };
  const secrets = [EXPORTED, ENV_TOKEN, ...SHAPES.map((s) => s.secret)];
  for (const [sink, text] of Object.entries(sinks)) {
    const leaked = secrets.filter((s) => text.includes(s) || text.includes(s.replace(/\//g, '\\/')));
    t.same(leaked, [], `${sink}: no secret`);
  }
  t.match(sinks.terminal, /the password is \[REDACTED\]|-\[REDACTED\]|\+\[REDACTED\]/);
  t.match(readFileSync(join(dir, 's.md'), 'utf8'), /```text output\nstill \[REDACTED\] and \[REDACTED\]\n```/, 'a value exported in an earlier step is masked in a later one');
  t.match(sinks['written-back source'], /AccountKey=\[REDACTED\]/, 'the shapes were written back, masked');
});

t.test('--update-expected writes masked text that keeps matching the next run', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'u.md': '```bash run id=tok\necho "token: tok-$RANDOM$RANDOM$RANDOM"\necho "user: admin"\n```\n```text expect-output match=exact\nTODO\n```\n',
  });
  const first = await runCli(['run', 'u.md', '--write', '--update-expected'], { cwd: dir });
  t.equal(first.code, 0, first.out);
  t.match(readFileSync(join(dir, 'u.md'), 'utf8'), /```text expect-output match=exact\ntoken: \[REDACTED\]\nuser: admin\n```/);
  const second = await runCli(['run', 'u.md'], { cwd: dir });
  t.equal(second.code, 0, `a new token, the same masked expectation: ${second.out}`);
});
