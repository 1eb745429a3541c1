import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../clock';
import {
  type CertificatePair,
  certificateStatus,
  EXPIRY_WARNING_DAYS,
  loadCertificatePair,
  TlsConfigError,
} from './certificate';
import { makeTestCertificates, type TestCertificates } from './test-certificates';

function refusal(certFile: string, keyFile: string, now = new Date()): TlsConfigError {
  try {
    loadCertificatePair(certFile, keyFile, now);
  } catch (err) {
    expect(err).toBeInstanceOf(TlsConfigError);
    return err as TlsConfigError;
  }
  throw new Error('loadCertificatePair accepted the pair');
}

describe('loadCertificatePair', () => {
  let dir: string;
  let good: TestCertificates;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-certificate-'));
    good = await makeTestCertificates(mkdtempSync(join(dir, 'good-')));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-1: accepts a valid pair and describes its leaf', () => {
    const pair = loadCertificatePair(good.certFile, good.keyFile, new Date());
    const leaf = new X509Certificate(good.certPem);
    expect(pair.subject).toBe('CN=localhost');
    expect(pair.fingerprint256).toBe(leaf.fingerprint256);
    expect(pair.notAfter.getTime()).toBe(new Date(leaf.validTo).getTime());
    expect(pair.notBefore.getTime()).toBeLessThan(Date.now());
    expect(pair.certPem).toBe(good.certPem);
    expect(pair.keyPem).toBe(good.keyPem);
    expect(pair).toMatchObject({ certFile: good.certFile, keyFile: good.keyFile });
  });

  it('SEC-1: accepts a chain file (leaf first) and checks the leaf', () => {
    const chainFile = join(dir, 'chain.pem');
    writeFileSync(chainFile, `${good.certPem}${good.caPem}`);
    const pair = loadCertificatePair(chainFile, good.keyFile, new Date());
    expect(pair.fingerprint256).toBe(new X509Certificate(good.certPem).fingerprint256);
    // The CA first means its key is checked against the wrong certificate.
    writeFileSync(chainFile, `${good.caPem}${good.certPem}`);
    expect(refusal(chainFile, good.keyFile).code).toBe('tls_key_mismatch');
  });

  it('SEC-1: refuses a missing certificate file', () => {
    const missing = join(dir, 'nope', 'cert.pem');
    const err = refusal(missing, good.keyFile);
    expect(err.code).toBe('tls_cert_missing');
    expect(err.message).toContain(missing);
  });

  it('SEC-1: refuses a missing key file', () => {
    const missing = join(dir, 'nope', 'key.pem');
    const err = refusal(good.certFile, missing);
    expect(err.code).toBe('tls_key_missing');
    expect(err.message).toContain(missing);
  });

  it('SEC-1: refuses unreadable certificate and key files', () => {
    // A directory cannot be read as a file, even by root.
    expect(refusal(dir, good.keyFile).code).toBe('tls_cert_unreadable');
    expect(refusal(good.certFile, dir).code).toBe('tls_key_unreadable');
    expect(refusal(good.certFile, dir).message).toContain(dir);
  });

  it('SEC-1: refuses garbage instead of a certificate or a key', () => {
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'this is not PEM\n');
    const certErr = refusal(garbage, good.keyFile);
    expect(certErr.code).toBe('tls_cert_invalid');
    expect(certErr.message).toContain(garbage);
    const keyErr = refusal(good.certFile, garbage);
    expect(keyErr.code).toBe('tls_key_invalid');
    expect(keyErr.message).toContain(garbage);

    const corrupt = join(dir, 'corrupt.pem');
    writeFileSync(corrupt, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(refusal(corrupt, good.keyFile).code).toBe('tls_cert_invalid');
    // A certificate where the key belongs is not a key.
    expect(refusal(good.certFile, good.certFile).code).toBe('tls_key_invalid');
  });

  it('SEC-1: refuses an expired certificate and names its end date', async () => {
    const notAfter = new Date(Date.now() - 2 * DAY_MS);
    const expired = await makeTestCertificates(mkdtempSync(join(dir, 'expired-')), {
      notBefore: new Date(Date.now() - 100 * DAY_MS),
      notAfter,
    });
    const err = refusal(expired.certFile, expired.keyFile);
    expect(err.code).toBe('tls_expired');
    const end = new Date(Math.floor(notAfter.getTime() / 1000) * 1000).toISOString();
    expect(err.message).toBe(`TLS certificate ${expired.certFile} expired on ${end}`);
  });

  it('SEC-1: refuses a certificate that is not yet valid', async () => {
    const future = await makeTestCertificates(mkdtempSync(join(dir, 'future-')), {
      notBefore: new Date(Date.now() + 2 * DAY_MS),
      notAfter: new Date(Date.now() + 100 * DAY_MS),
    });
    const err = refusal(future.certFile, future.keyFile);
    expect(err.code).toBe('tls_not_yet_valid');
    expect(err.message).toContain(future.certFile);
    // The same files are accepted once their time has come.
    expect(() =>
      loadCertificatePair(future.certFile, future.keyFile, new Date(Date.now() + 3 * DAY_MS)),
    ).not.toThrow();
  });

  it('SEC-1: refuses a key that does not match the certificate', () => {
    const err = refusal(good.certFile, good.otherKeyFile);
    expect(err.code).toBe('tls_key_mismatch');
    expect(err.message).toContain(good.otherKeyFile);
    expect(err.message).toContain(good.certFile);
    expect(readFileSync(good.otherKeyFile, 'utf8')).toContain('PRIVATE KEY');
  });
});

describe('certificateStatus', () => {
  const now = new Date('2026-06-01T00:00:00.000Z');
  const pairEnding = (ms: number): Pick<CertificatePair, 'notAfter'> => ({
    notAfter: new Date(now.getTime() + ms),
  });

  it('SEC-1: warns when fewer than 30 days are left', () => {
    expect(EXPIRY_WARNING_DAYS).toBe(30);
    expect(certificateStatus(pairEnding(30 * DAY_MS), now)).toEqual({
      notAfter: '2026-07-01T00:00:00.000Z',
      daysLeft: 30,
      expiresSoon: false,
    });
    expect(certificateStatus(pairEnding(30 * DAY_MS - 1), now)).toMatchObject({
      daysLeft: 29,
      expiresSoon: true,
    });
    expect(certificateStatus(pairEnding(31 * DAY_MS), now)).toMatchObject({
      daysLeft: 31,
      expiresSoon: false,
    });
    expect(certificateStatus(pairEnding(DAY_MS / 2), now)).toMatchObject({ daysLeft: 0, expiresSoon: true });
    expect(certificateStatus(pairEnding(-DAY_MS), now)).toMatchObject({ daysLeft: -1, expiresSoon: true });
  });
});
