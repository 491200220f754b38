import t from 'tap';
import { makeRedactor, MASK, secretValues } from '../engine/write/redact.ts';

t.test('built-in secrets are masked', async (t) => {
  const redact = makeRedactor();
  t.equal(redact('key AKIAIOSFODNN7EXAMPLE end'), `key ${MASK} end`);
  t.equal(redact('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), `aws_secret_access_key = ${MASK}`);
  t.equal(redact('Authorization: Bearer abc.def-ghi_123'), `Authorization: Bearer ${MASK}`);
  t.equal(redact('-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabc\n-----END RSA PRIVATE KEY-----\nafter'), `${MASK}\nafter`);
  t.equal(redact('token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0ZXIifQ.c2lnbmF0dXJlLXBhcnQ'), `token ${MASK}`);
  t.equal(redact('sha 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 stays'), 'sha 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 stays', 'hashes are not secrets');
  t.equal(redact('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'certificates are public');
});

t.test('runbook redact: patterns come on top', async (t) => {
  const redact = makeRedactor(['arn:aws:iam::[0-9]{12}']);
  t.equal(redact('role arn:aws:iam::123456789012:role/x'), `role ${MASK}:role/x`);
});

t.test('kubeconfig keys, cut-off PEM, any-case bearer, bootstrap tokens', async (t) => {
  const redact = makeRedactor();
  t.equal(redact('    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo='), `    client-key-data: ${MASK}`);
  t.equal(redact('    token: abcdefghijklmnop'), `    token: ${MASK}`);
  t.equal(redact('"password": "hunter2hunter2"'), `"password": "${MASK}"`);
  t.equal(redact('ok\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq'), `ok\n${MASK}`);
  t.equal(redact('Authorization: BEARER abcdefghij'), `Authorization: BEARER ${MASK}`);
  t.equal(redact('AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE'), `AWS_SECRET_ACCESS_KEY: ${MASK}`);
  t.equal(redact('kubeadm join --token abcdef.0123456789abcdef'), `kubeadm join --token ${MASK}`);
});

t.test('values of secret-looking variables are masked wherever they appear', async (t) => {
  const literals = secretValues({ GITHUB_TOKEN: 'ghp_abcdefghijklmnop', HOME: '/root', DB_PASSWORD: 'short' }, { API_KEY: 'k-1234567890' });
  t.same(literals.sort(), ['ghp_abcdefghijklmnop', 'k-1234567890']);
  const redact = makeRedactor([], literals);
  t.equal(redact('using ghp_abcdefghijklmnop and k-1234567890 in /root'), `using ${MASK} and ${MASK} in /root`);
});
