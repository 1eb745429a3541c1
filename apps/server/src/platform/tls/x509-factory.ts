// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API first.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 signs through WebCrypto; Node's implementation is complete, so it is the one provider.
x509.cryptoProvider.set(webcrypto as unknown as typeof globalThis.crypto);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface CaParams {
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export interface ServerCertificateParams {
  ca: PemPair;
  hosts: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importSigningKey(keyPem: string): Promise<webcrypto.CryptoKey> {
  // node:crypto normalises SEC1 ("EC PRIVATE KEY") and PKCS#8 alike before WebCrypto sees it.
  const der = createPrivateKey(keyPem).export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}

/** Random positive 16-byte serial (RFC 5280: ≤ 20 octets, non-negative). */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** A fresh ECDSA P-256 private key in PKCS#8 PEM, matching no certificate. */
export async function createPrivateKeyPem(): Promise<string> {
  return exportKeyPem((await generateKeys()).privateKey);
}

/** A self-signed certificate authority that may sign server certificates only. */
export async function createCertificateAuthority(params: CaParams): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: params.subject,
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** A TLS server (leaf) certificate for the given DNS names and IP addresses, signed by `ca`. */
export async function issueServerCertificate(params: ServerCertificateParams): Promise<PemPair> {
  const [first] = params.hosts;
  if (first === undefined) throw new Error('A server certificate needs at least one host name');
  const caCert = new x509.X509Certificate(params.ca.certPem);
  const caKey = await importSigningKey(params.ca.keyPem);
  const keys = await generateKeys();
  const names = params.hosts.map((host) => ({
    type: isIP(host) ? ('ip' as const) : ('dns' as const),
    value: host,
  }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${first}`,
    issuer: caCert.subject,
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}
