import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS } from '../clock';
import { createCertificateAuthority, createPrivateKeyPem, issueServerCertificate } from './x509-factory';

export interface TestCertificateOptions {
  /** Leaf validity start; default one day ago. */
  notBefore?: Date;
  /** Leaf validity end; default 90 days from now. */
  notAfter?: Date;
  /** DNS names and IP addresses; default localhost and 127.0.0.1. */
  hosts?: string[];
}

export interface TestCertificates {
  caFile: string;
  caPem: string;
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
  /** A private key that does NOT match certFile. */
  otherKeyFile: string;
}

/**
 * For tests anywhere in the repository: writes ca.pem, cert.pem, key.pem and other-key.pem into `dir`
 * (a fresh CA and a server certificate it signs). Clients trust caPem.
 */
export async function makeTestCertificates(
  dir: string,
  opts: TestCertificateOptions = {},
): Promise<TestCertificates> {
  const now = Date.now();
  const notBefore = opts.notBefore ?? new Date(now - DAY_MS);
  const notAfter = opts.notAfter ?? new Date(now + 90 * DAY_MS);
  // The CA outlives the leaf on both sides so that only the leaf's own dates are under test.
  const ca = await createCertificateAuthority({
    subject: `CN=TheStorage Test CA ${now}`,
    notBefore: new Date(Math.min(notBefore.getTime(), now) - DAY_MS),
    notAfter: new Date(Math.max(notAfter.getTime(), now) + 365 * DAY_MS),
  });
  const leaf = await issueServerCertificate({
    ca,
    hosts: opts.hosts ?? ['localhost', '127.0.0.1'],
    notBefore,
    notAfter,
  });
  const files = {
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'cert.pem'),
    keyFile: join(dir, 'key.pem'),
    otherKeyFile: join(dir, 'other-key.pem'),
  };
  writeFileSync(files.caFile, ca.certPem);
  writeFileSync(files.certFile, leaf.certPem);
  writeFileSync(files.keyFile, leaf.keyPem, { mode: 0o600 });
  writeFileSync(files.otherKeyFile, await createPrivateKeyPem(), { mode: 0o600 });
  return { ...files, caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
}
