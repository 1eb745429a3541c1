import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS } from '../clock';
import { type CertificatePair, certificateStatus, loadCertificatePair, TlsConfigError } from './certificate';
import { createCertificateAuthority, issueServerCertificate } from './x509-factory';

export const DEV_CA_SUBJECT = 'CN=TheStorage Development CA';
export const DEV_SERVER_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];
/** Browsers reject server certificates valid for more than 398 days. */
export const DEV_LEAF_VALIDITY_DAYS = 397;
const DEV_CA_VALIDITY_YEARS = 10;
// Backdating absorbs small clock differences between this machine and its clients.
const BACKDATE_MS = 60 * 60 * 1000;

export interface DevCertificateFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
  createdCa: boolean;
  issuedLeaf: boolean;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeSecret(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

function loadCa(caFile: string, caKeyFile: string, tlsDir: string, now: Date): CertificatePair {
  try {
    return loadCertificatePair(caFile, caKeyFile, now);
  } catch (err) {
    if (!(err instanceof TlsConfigError)) throw err;
    // Re-creating the CA silently would break every client that trusts it: say so and let a person decide.
    throw new TlsConfigError(
      err.code,
      `${err.message}; delete ${tlsDir} to create a new development CA (clients must then trust the new ca.pem)`,
      { cause: err },
    );
  }
}

/** True when the leaf on disk is valid now, signed by this CA and not within the expiry warning. */
function leafIsUsable(certFile: string, keyFile: string, ca: CertificatePair, now: Date): boolean {
  let leaf: CertificatePair;
  try {
    leaf = loadCertificatePair(certFile, keyFile, now);
  } catch (err) {
    if (err instanceof TlsConfigError) return false;
    throw err;
  }
  const leafCert = new X509Certificate(leaf.certPem);
  const caCert = new X509Certificate(ca.certPem);
  if (!leafCert.checkIssued(caCert) || !leafCert.verify(caCert.publicKey)) return false;
  return !certificateStatus(leaf, now).expiresSoon;
}

/**
 * Development default (SEC-1): a local CA under `${dataDir}/tls` and a server certificate it signs for
 * localhost, 127.0.0.1 and ::1. Existing files are reused; the server certificate is re-issued when it is
 * missing, invalid, not signed by the CA or has fewer than 30 days left.
 */
export async function ensureDevCertificate(dataDir: string, now: Date): Promise<DevCertificateFiles> {
  const tlsDir = join(dataDir, 'tls');
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  chmodSync(tlsDir, 0o700);
  const caFile = join(tlsDir, 'ca.pem');
  const caKeyFile = join(tlsDir, 'ca-key.pem');
  const certFile = join(tlsDir, 'server.pem');
  const keyFile = join(tlsDir, 'server-key.pem');

  let createdCa = false;
  if (!existsSync(caFile) && !existsSync(caKeyFile)) {
    const notBefore = new Date(now.getTime() - BACKDATE_MS);
    const notAfter = new Date(notBefore);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + DEV_CA_VALIDITY_YEARS);
    const created = await createCertificateAuthority({ subject: DEV_CA_SUBJECT, notBefore, notAfter });
    writeSecret(caKeyFile, created.keyPem);
    writeSecret(caFile, created.certPem);
    createdCa = true;
  }
  const ca = loadCa(caFile, caKeyFile, tlsDir, now);

  let issuedLeaf = false;
  if (createdCa || !leafIsUsable(certFile, keyFile, ca, now)) {
    const notBefore = new Date(now.getTime() - BACKDATE_MS);
    const leafEnd = notBefore.getTime() + DEV_LEAF_VALIDITY_DAYS * DAY_MS;
    const notAfter = new Date(Math.min(leafEnd, ca.notAfter.getTime()));
    const leaf = await issueServerCertificate({ ca, hosts: DEV_SERVER_HOSTS, notBefore, notAfter });
    writeSecret(keyFile, leaf.keyPem);
    writeSecret(certFile, leaf.certPem);
    issuedLeaf = true;
  }
  return { certFile, keyFile, caFile, createdCa, issuedLeaf };
}

/** How a developer makes clients trust the development CA. */
export function devCaTrustInstructions(caFile: string): string {
  return [
    `TheStorage development CA: ${caFile}`,
    "Trust it once per client (it signs only this server's local certificates):",
    `  curl:    curl --cacert ${caFile} https://localhost:<port>/`,
    `  Firefox: Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import ${caFile}`,
    `  Chrome:  Settings > Privacy and security > Security > Manage certificates > Authorities > Import ${caFile}`,
    `  Debian/Ubuntu: sudo cp ${caFile} /usr/local/share/ca-certificates/thestorage-dev.crt && sudo update-ca-certificates`,
    `  macOS:   sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${caFile}`,
  ].join('\n');
}
