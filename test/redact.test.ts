import t from 'tap';
import { makeRedactor, MASK } from '../engine/write/redact.ts';

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
