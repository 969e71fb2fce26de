import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway certificate authority and a server certificate it signed, made
 * with the machine's openssl, for TLS tests against a local server.
 */
export interface TestCertificates {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  remove(): void;
}

export function makeCertificates(subjectAltName: string): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'devguide-tls-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=DevGuide Test CA', '-keyout', path('ca-key.pem'), '-out', path('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=devguide-test-server', '-keyout', path('server-key.pem'), '-out', path('server.csr'));
  writeFileSync(path('ext.cnf'), `subjectAltName=${subjectAltName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca-key.pem'), '-CAcreateserial', '-days', '2', '-extfile', path('ext.cnf'), '-out', path('server.pem'));
  return { dir, ca: path('ca.pem'), cert: path('server.pem'), key: path('server-key.pem'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
