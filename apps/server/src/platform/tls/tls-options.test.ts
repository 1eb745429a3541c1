import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CIPHERS } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, type TestCertificates } from './test-certificates';
import { HSTS_MAX_AGE_SECONDS, tlsHardening } from './tls-options';
import { handshake, startHttpsServer, stopServer } from './tls-test-support';

// A client that is able to speak TLS 1.0/1.1 (OpenSSL 3 needs security level 0 for their SHA-1 signatures).
const LEGACY_CLIENT = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
const CBC_ONLY_CLIENT = {
  maxVersion: 'TLSv1.2',
  ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384',
} as const;
const AEAD_CIPHER = /GCM|CHACHA20/;

describe('TLS hardening', () => {
  let dir: string;
  let certs: TestCertificates;
  let hardened: { server: Server; port: number };
  // The same certificate without hardening: proves the refused clients are otherwise able to connect.
  let permissive: { server: Server; port: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-options-'));
    certs = await makeTestCertificates(dir);
    hardened = await startHttpsServer({ ...tlsHardening, cert: certs.certPem, key: certs.keyPem });
    permissive = await startHttpsServer({
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
      cert: certs.certPem,
      key: certs.keyPem,
    });
  });

  afterAll(async () => {
    await stopServer(hardened.server);
    await stopServer(permissive.server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-1: TLS 1.2 minimum, AEAD-only TLS 1.2 suites, Node TLS 1.3 defaults, server cipher order', () => {
    expect(tlsHardening.minVersion).toBe('TLSv1.2');
    expect(tlsHardening.honorCipherOrder).toBe(true);
    const suites = tlsHardening.ciphers.split(':');
    const tls13Defaults = DEFAULT_CIPHERS.split(':').filter((name) => name.startsWith('TLS_'));
    expect(tls13Defaults.length).toBeGreaterThan(0);
    expect(suites.filter((name) => name.startsWith('TLS_'))).toEqual(tls13Defaults);
    const tls12 = suites.filter((name) => !name.startsWith('TLS_'));
    expect(tls12.length).toBeGreaterThan(0);
    for (const suite of tls12) {
      expect(suite).toMatch(/^ECDHE-(ECDSA|RSA)-/);
      expect(suite).toMatch(AEAD_CIPHER);
      expect(suite).not.toMatch(/CBC|CCM|ARIA|SHA$|-SHA1?$/);
    }
    expect(HSTS_MAX_AGE_SECONDS).toBe(365 * 24 * 60 * 60);
  });

  it('SEC-1: a client limited to TLS 1.1 fails the handshake', async () => {
    const control = await handshake(permissive.port, { ca: certs.caPem, ...LEGACY_CLIENT });
    expect(control.protocol).toBe('TLSv1.1');
    await expect(handshake(hardened.port, { ca: certs.caPem, ...LEGACY_CLIENT })).rejects.toMatchObject({
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
  });

  it('SEC-1: a client offering only CBC suites fails the handshake', async () => {
    const control = await handshake(permissive.port, { ca: certs.caPem, ...CBC_ONLY_CLIENT });
    expect(control.cipher).not.toMatch(AEAD_CIPHER);
    await expect(handshake(hardened.port, { ca: certs.caPem, ...CBC_ONLY_CLIENT })).rejects.toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });

  it('SEC-1: normal TLS 1.3 and TLS 1.2 connections negotiate GCM or ChaCha20-Poly1305', async () => {
    const modern = await handshake(hardened.port, { ca: certs.caPem });
    expect(modern.authorized).toBe(true);
    expect(modern.protocol).toBe('TLSv1.3');
    expect(modern.cipher).toMatch(AEAD_CIPHER);
    const tls12 = await handshake(hardened.port, { ca: certs.caPem, maxVersion: 'TLSv1.2' });
    expect(tls12.protocol).toBe('TLSv1.2');
    expect(tls12.cipher).toMatch(AEAD_CIPHER);
  });
});
