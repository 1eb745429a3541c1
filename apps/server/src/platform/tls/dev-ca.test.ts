import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../clock';
import { loadCertificatePair, TlsConfigError } from './certificate';
import { devCaTrustInstructions, ensureDevCertificate } from './dev-ca';
import { makeTestCertificates } from './test-certificates';
import { tlsHardening } from './tls-options';
import { handshake, startHttpsServer, stopServer } from './tls-test-support';

const mode = (file: string): number => statSync(file).mode & 0o777;
const fingerprint = (file: string): string => new X509Certificate(readFileSync(file)).fingerprint256;

function httpsGet(port: number, ca?: string): Promise<{ status: number; body: string; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const req = get(
      { host: '127.0.0.1', port, path: '/', servername: 'localhost', ca, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          const authorized = (res.socket as { authorized?: boolean } | null)?.authorized ?? false;
          resolve({ status: res.statusCode ?? 0, body, authorized });
        });
      },
    );
    req.on('error', reject);
  });
}

describe('ensureDevCertificate', () => {
  let root: string;
  const freshDataDir = (): string => mkdtempSync(join(root, 'data-'));

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tls-dev-ca-'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('SEC-1: creates a local CA and a localhost certificate with private files on first start', async () => {
    const dataDir = freshDataDir();
    const now = new Date();
    const files = await ensureDevCertificate(dataDir, now);
    const tlsDir = join(dataDir, 'tls');
    expect(files).toEqual({
      certFile: join(tlsDir, 'server.pem'),
      keyFile: join(tlsDir, 'server-key.pem'),
      caFile: join(tlsDir, 'ca.pem'),
      createdCa: true,
      issuedLeaf: true,
    });
    expect(mode(tlsDir)).toBe(0o700);
    for (const name of ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem']) {
      expect(mode(join(tlsDir, name))).toBe(0o600);
    }

    const ca = new X509Certificate(readFileSync(files.caFile));
    expect(ca.subject).toBe('CN=TheStorage Development CA');
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const caYears = (new Date(ca.validTo).getTime() - now.getTime()) / (365.25 * DAY_MS);
    expect(caYears).toBeGreaterThan(9.9);
    expect(caYears).toBeLessThan(10.1);
    expect(() => loadCertificatePair(files.caFile, join(tlsDir, 'ca-key.pem'), now)).not.toThrow();

    const leafPem = readFileSync(files.certFile, 'utf8');
    expect(leafPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    const leaf = new X509Certificate(leafPem);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const leafDays = (new Date(leaf.validTo).getTime() - new Date(leaf.validFrom).getTime()) / DAY_MS;
    expect(leafDays).toBeGreaterThan(390);
    expect(leafDays).toBeLessThanOrEqual(398);
    expect(() => loadCertificatePair(files.certFile, files.keyFile, now)).not.toThrow();
  });

  it('SEC-1: an HTTPS server with the dev certificate is verified by a client that trusts ca.pem', async () => {
    const files = await ensureDevCertificate(freshDataDir(), new Date());
    const caPem = readFileSync(files.caFile, 'utf8');
    const { server, port } = await startHttpsServer({
      ...tlsHardening,
      cert: readFileSync(files.certFile),
      key: readFileSync(files.keyFile),
    });
    try {
      await expect(httpsGet(port, caPem)).resolves.toEqual({ status: 200, body: 'ok', authorized: true });
      const byName = await handshake(port, { ca: caPem, servername: 'localhost' });
      expect(byName.authorized).toBe(true);
      expect(byName.fingerprint256).toBe(fingerprint(files.certFile));
      // Without a server name the IP address in subjectAltName is what gets verified.
      const byAddress = await handshake(port, { ca: caPem, servername: '' });
      expect(byAddress.authorized).toBe(true);

      await expect(handshake(port)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      await expect(httpsGet(port)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      const otherCa = await makeTestCertificates(mkdtempSync(join(root, 'other-')));
      await expect(handshake(port, { ca: otherCa.caPem })).rejects.toMatchObject({
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
    } finally {
      await stopServer(server);
    }
  });

  it('SEC-1: later starts reuse the CA and the certificate', async () => {
    const dataDir = freshDataDir();
    const first = await ensureDevCertificate(dataDir, new Date());
    const caBefore = fingerprint(first.caFile);
    const leafBefore = fingerprint(first.certFile);
    const second = await ensureDevCertificate(dataDir, new Date(Date.now() + 10 * DAY_MS));
    expect(second).toMatchObject({ createdCa: false, issuedLeaf: false });
    expect(fingerprint(second.caFile)).toBe(caBefore);
    expect(fingerprint(second.certFile)).toBe(leafBefore);
  });

  it('SEC-1: re-issues a certificate with fewer than 30 days left, signed by the same CA', async () => {
    const dataDir = freshDataDir();
    const first = await ensureDevCertificate(dataDir, new Date());
    const leafBefore = new X509Certificate(readFileSync(first.certFile));
    const notAfter = new Date(leafBefore.validTo).getTime();

    const at31DaysLeft = new Date(notAfter - 31 * DAY_MS);
    expect(await ensureDevCertificate(dataDir, at31DaysLeft)).toMatchObject({ issuedLeaf: false });

    const at29DaysLeft = new Date(notAfter - 29 * DAY_MS);
    const renewed = await ensureDevCertificate(dataDir, at29DaysLeft);
    expect(renewed).toMatchObject({ createdCa: false, issuedLeaf: true });
    const leafAfter = new X509Certificate(readFileSync(renewed.certFile));
    expect(leafAfter.fingerprint256).not.toBe(leafBefore.fingerprint256);
    expect(new Date(leafAfter.validTo).getTime()).toBeGreaterThan(at29DaysLeft.getTime() + 390 * DAY_MS);
    expect(leafAfter.verify(new X509Certificate(readFileSync(renewed.caFile)).publicKey)).toBe(true);
    expect(mode(renewed.keyFile)).toBe(0o600);
    expect(() => loadCertificatePair(renewed.certFile, renewed.keyFile, at29DaysLeft)).not.toThrow();
  });

  it('SEC-1: re-issues a missing certificate or one not signed by the CA', async () => {
    const dataDir = freshDataDir();
    const first = await ensureDevCertificate(dataDir, new Date());
    unlinkSync(first.certFile);
    expect(await ensureDevCertificate(dataDir, new Date())).toMatchObject({
      createdCa: false,
      issuedLeaf: true,
    });

    const foreign = await makeTestCertificates(mkdtempSync(join(root, 'foreign-')));
    copyFileSync(foreign.certFile, first.certFile);
    copyFileSync(foreign.keyFile, first.keyFile);
    const again = await ensureDevCertificate(dataDir, new Date());
    expect(again).toMatchObject({ createdCa: false, issuedLeaf: true });
    expect(fingerprint(again.certFile)).not.toBe(fingerprint(foreign.certFile));
  });

  it('SEC-1: refuses a damaged CA instead of silently replacing the trusted one', async () => {
    const dataDir = freshDataDir();
    await ensureDevCertificate(dataDir, new Date());
    unlinkSync(join(dataDir, 'tls', 'ca-key.pem'));
    const failure = ensureDevCertificate(dataDir, new Date());
    await expect(failure).rejects.toBeInstanceOf(TlsConfigError);
    await expect(failure).rejects.toMatchObject({ code: 'tls_key_missing' });
    await expect(failure).rejects.toThrow(/delete .*tls to create a new development CA/);
  });

  it('SEC-1: tells developers how to trust the development CA', () => {
    const text = devCaTrustInstructions('/srv/thestorage/tls/ca.pem');
    expect(text.split('\n').length).toBeGreaterThan(3);
    expect(text).toContain('curl --cacert /srv/thestorage/tls/ca.pem');
    expect(text).toMatch(/Firefox/);
    expect(text).toMatch(/Chrome/);
    expect(text).toContain(
      '/usr/local/share/ca-certificates/thestorage-dev.crt && sudo update-ca-certificates',
    );
    expect(text).toContain('security add-trusted-cert');
  });
});
