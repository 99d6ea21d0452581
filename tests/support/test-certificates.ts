/**
 * Certificates a test makes for itself with the `openssl` command, in a temp directory: a CA,
 * a server certificate it signed for 127.0.0.1 / localhost, a client certificate (mutual TLS),
 * and a second CA nobody trusts with a server certificate of its own (the "untrusted CA"
 * cases). Valid for two days; nothing is shared between test runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  /** Paths of PEM files. */
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA the tests never trust, and a server certificate it signed. */
  otherCaCert: string;
  otherServerCert: string;
  otherServerKey: string;
  /** The PEM text of a file. */
  read(path: string): string;
  remove(): void;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string, subject: string): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

/** A key (PKCS#8 PEM, what Kafka's PEM key store reads) and a certificate signed by CA `ca`. */
function makeLeaf(dir: string, name: string, ca: string, subject: string, usage: 'serverAuth,clientAuth' | 'clientAuth'): void {
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  writeFileSync(join(dir, `${name}.ext`), [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage}`,
    ...(usage === 'clientAuth' ? [] : ['subjectAltName=IP:127.0.0.1,DNS:localhost']),
    '',
  ].join('\n'));
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'clv-certs-'));
  makeCa(dir, 'ca', '/CN=clv-stream test CA');
  makeLeaf(dir, 'server', 'ca', '/CN=127.0.0.1', 'serverAuth,clientAuth');
  makeLeaf(dir, 'client', 'ca', '/CN=clv-client', 'clientAuth');
  makeCa(dir, 'other-ca', '/CN=untrusted test CA');
  makeLeaf(dir, 'other-server', 'other-ca', '/CN=127.0.0.1', 'serverAuth,clientAuth');
  const at = (file: string) => join(dir, file);
  return {
    dir,
    caCert: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
    otherCaCert: at('other-ca.pem'),
    otherServerCert: at('other-server.pem'),
    otherServerKey: at('other-server.key'),
    read: (path) => readFileSync(path, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
