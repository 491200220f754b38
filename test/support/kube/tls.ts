// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The certificates a kind cluster's kubeconfig carries, made with openssl once per test process: a
// cluster CA, the API server's serving certificate for 127.0.0.1 and localhost, and a client
// certificate for kind's admin user (CN=kubernetes-admin, O=kubeadm:cluster-admins, as kubeadm
// 1.29+ issues it). The API server authenticates client certificates by CN (user) and O (groups).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

let made: TestCertificates | undefined;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function testCertificates(): TestCertificates {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'kube-test-tls-'));
  try {
    const key = (name: string) => openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
    key('ca');
    openssl(dir, ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=kubernetes', '-days', '2', '-out', 'ca.crt',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,digitalSignature']);
    const sign = (name: string, subject: string, extensions: string) => {
      key(name);
      openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
      writeFileSync(join(dir, `${name}.ext`), extensions);
      openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
    };
    sign('server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n');
    sign('client', '/O=kubeadm:cluster-admins/CN=kubernetes-admin', 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    made = { caCert: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
