import { readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';

/** Why a call did not reach the server: each names what the user can do about it. */
export class ConnectionError extends Error {
  constructor(
    readonly code:
      | 'untrusted_certificate'
      | 'expired_certificate'
      | 'wrong_host'
      | 'not_https'
      | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

const TLS_CODES: Record<string, ConnectionError['code']> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted_certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted_certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted_certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted_certificate',
  CERT_UNTRUSTED: 'untrusted_certificate',
  CERT_HAS_EXPIRED: 'expired_certificate',
  CERT_NOT_YET_VALID: 'expired_certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong_host',
};

const ADVICE: Record<ConnectionError['code'], string> = {
  untrusted_certificate: 'its certificate is not signed by a trusted CA (name one with --ca <file>)',
  expired_certificate: 'its certificate has expired or is not yet valid',
  wrong_host: 'its certificate is for another host name',
  not_https: 'the address is not https://',
  unreachable: 'it could not be reached',
};

export interface HttpsClientOptions {
  server: string;
  /** PEM file of an extra CA to trust (the system's CAs stay trusted too). */
  caFile?: string;
}

/**
 * SEC-2: every call verifies the server's certificate chain, validity and host name. There is no
 * switch to turn that off; verification is explicit so NODE_TLS_REJECT_UNAUTHORIZED=0 cannot weaken it.
 */
export function createHttpsClient(options: HttpsClientOptions) {
  const base = new URL(options.server);
  if (base.protocol !== 'https:') {
    throw new ConnectionError('not_https', `Refusing ${options.server}: ${ADVICE.not_https}`);
  }
  // Naming a CA adds it to the system roots; it does not replace them.
  const ca = options.caFile ? [...tls.rootCertificates, readFileSync(options.caFile, 'utf8')] : undefined;

  return {
    getJson(path: string): Promise<{ status: number; body: unknown }> {
      const url = new URL(path, base);
      return new Promise((resolve, reject) => {
        const request = https.get(
          url,
          {
            ca,
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
            agent: false,
            headers: { accept: 'application/json' },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () => {
              try {
                resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
              } catch {
                resolve({ status: response.statusCode ?? 0, body: text });
              }
            });
          },
        );
        request.on('error', (err: NodeJS.ErrnoException) => {
          const code = TLS_CODES[err.code ?? ''] ?? 'unreachable';
          reject(
            new ConnectionError(
              code,
              `Refusing to talk to ${base.host}: ${ADVICE[code]} (${err.code ?? err.message})`,
            ),
          );
        });
      });
    },
  };
}
