import { DEFAULT_CIPHERS, type SecureContextOptions } from 'node:tls';

/** HSTS lifetime: one year, the minimum browsers accept for preload lists. */
export const HSTS_MAX_AGE_SECONDS = 31536000;

/** Mozilla "intermediate" TLS 1.2 suites, restricted to ECDHE with AEAD (no CBC, CCM or ARIA). */
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

// Node's TLS 1.3 suites (all AEAD) are kept as Node ships them; naming them keeps TLS 1.3 enabled.
const TLS13_CIPHERS = DEFAULT_CIPHERS.split(':').filter((name) => name.startsWith('TLS_'));

/** Spread into https/tls server options and into every setSecureContext call. */
export const tlsHardening: Readonly<
  Required<Pick<SecureContextOptions, 'minVersion' | 'ciphers' | 'honorCipherOrder'>>
> = Object.freeze({
  minVersion: 'TLSv1.2',
  ciphers: [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(':'),
  honorCipherOrder: true,
});
