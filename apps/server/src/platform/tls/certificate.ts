import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DAY_MS } from '../clock';

/** Warn (log, health, metric) when fewer than this many days of validity are left. */
export const EXPIRY_WARNING_DAYS = 30;

export type TlsConfigErrorCode =
  | 'tls_cert_missing'
  | 'tls_key_missing'
  | 'tls_cert_unreadable'
  | 'tls_key_unreadable'
  | 'tls_cert_invalid'
  | 'tls_key_invalid'
  | 'tls_expired'
  | 'tls_not_yet_valid'
  | 'tls_key_mismatch';

/** Why the server refuses a certificate/key pair; the message names the problem and the file. */
export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';
  constructor(
    readonly code: TlsConfigErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface CertificatePair {
  certPem: string;
  keyPem: string;
  notBefore: Date;
  notAfter: Date;
  subject: string;
  fingerprint256: string;
  certFile?: string;
  keyFile?: string;
}

export interface CertificateStatus {
  notAfter: string;
  daysLeft: number;
  expiresSoon: boolean;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readPem(file: string, what: 'certificate' | 'key'): string {
  const label = what === 'certificate' ? 'TLS certificate' : 'TLS private key';
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    const errno = (cause as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') {
      const code = what === 'certificate' ? 'tls_cert_missing' : 'tls_key_missing';
      throw new TlsConfigError(code, `${label} ${file} does not exist`, { cause });
    }
    const code = what === 'certificate' ? 'tls_cert_unreadable' : 'tls_key_unreadable';
    throw new TlsConfigError(code, `${label} ${file} cannot be read (${errno ?? String(cause)})`, { cause });
  }
}

/** Parses every certificate in the file; the first one is the server's own (leaf), the rest its chain. */
function parseChain(certPem: string, certFile: string): X509Certificate[] {
  const blocks = certPem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new TlsConfigError('tls_cert_invalid', `TLS certificate ${certFile} holds no PEM certificate`);
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (cause) {
      throw new TlsConfigError(
        'tls_cert_invalid',
        `TLS certificate ${certFile} is not a valid certificate (entry ${index + 1}: ${(cause as Error).message})`,
        { cause },
      );
    }
  });
}

function parseKey(keyPem: string, keyFile: string): KeyObject {
  try {
    return createPrivateKey(keyPem);
  } catch (cause) {
    throw new TlsConfigError(
      'tls_key_invalid',
      `TLS private key ${keyFile} is not a valid unencrypted PEM private key (${(cause as Error).message})`,
      { cause },
    );
  }
}

/**
 * Reads and checks a certificate (optionally followed by its chain) and its private key.
 * Throws TlsConfigError when the server must refuse to start with them.
 */
export function loadCertificatePair(certFile: string, keyFile: string, now: Date): CertificatePair {
  const certPem = readPem(certFile, 'certificate');
  const keyPem = readPem(keyFile, 'key');
  const [leaf] = parseChain(certPem, certFile);
  if (leaf === undefined)
    throw new TlsConfigError('tls_cert_invalid', `TLS certificate ${certFile} is empty`);
  const key = parseKey(keyPem, keyFile);
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new TlsConfigError('tls_cert_invalid', `TLS certificate ${certFile} has unreadable validity dates`);
  }
  if (now.getTime() > notAfter.getTime()) {
    throw new TlsConfigError(
      'tls_expired',
      `TLS certificate ${certFile} expired on ${notAfter.toISOString()}`,
    );
  }
  if (now.getTime() < notBefore.getTime()) {
    throw new TlsConfigError(
      'tls_not_yet_valid',
      `TLS certificate ${certFile} is not valid before ${notBefore.toISOString()}`,
    );
  }
  if (!leaf.checkPrivateKey(key)) {
    throw new TlsConfigError(
      'tls_key_mismatch',
      `TLS private key ${keyFile} does not match the certificate ${certFile}`,
    );
  }
  return {
    certPem,
    keyPem,
    notBefore,
    notAfter,
    subject: leaf.subject,
    fingerprint256: leaf.fingerprint256,
    certFile,
    keyFile,
  };
}

/** Days of validity left (rounded down) and whether the expiry warning is due. */
export function certificateStatus(pair: Pick<CertificatePair, 'notAfter'>, now: Date): CertificateStatus {
  const msLeft = pair.notAfter.getTime() - now.getTime();
  return {
    notAfter: pair.notAfter.toISOString(),
    daysLeft: Math.floor(msLeft / DAY_MS),
    expiresSoon: msLeft < EXPIRY_WARNING_DAYS * DAY_MS,
  };
}
