import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import type { CertificatePair, TlsConfigError } from './certificate';
import { makeTestCertificates, type TestCertificates } from './test-certificates';
import { tlsHardening } from './tls-options';
import { handshake, startHttpsServer, stopServer } from './tls-test-support';
import { watchCertificateFiles } from './watcher';

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchCertificateFiles', () => {
  let root: string;
  let pairA: TestCertificates;
  let pairB: TestCertificates;
  let live: { certFile: string; keyFile: string };
  let https: { server: Server; port: number };
  const reloads: CertificatePair[] = [];
  const errors: TlsConfigError[] = [];
  let watcher: { close(): void };

  const servedFingerprint = async (): Promise<string> =>
    (await handshake(https.port, { ca: [pairA.caPem, pairB.caPem] })).fingerprint256;
  const fingerprintOf = (certs: TestCertificates): string =>
    new X509Certificate(certs.certPem).fingerprint256;
  const serves = async (certs: TestCertificates): Promise<true | undefined> =>
    (await servedFingerprint()) === fingerprintOf(certs) ? true : undefined;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tls-watcher-'));
    pairA = await makeTestCertificates(mkdtempSync(join(root, 'a-')));
    pairB = await makeTestCertificates(mkdtempSync(join(root, 'b-')));
    const liveDir = mkdtempSync(join(root, 'live-'));
    live = { certFile: join(liveDir, 'cert.pem'), keyFile: join(liveDir, 'key.pem') };
    writeFileSync(live.certFile, pairA.certPem);
    writeFileSync(live.keyFile, pairA.keyPem);
    https = await startHttpsServer({ ...tlsHardening, cert: pairA.certPem, key: pairA.keyPem });
    watcher = watchCertificateFiles({
      ...live,
      intervalMs: 50,
      clock: systemClock,
      onReload: (pair) => {
        reloads.push(pair);
        https.server.setSecureContext({ ...tlsHardening, cert: pair.certPem, key: pair.keyPem });
      },
      onError: (err) => {
        errors.push(err);
      },
    });
  });

  afterAll(async () => {
    watcher.close();
    await stopServer(https.server);
    rmSync(root, { recursive: true, force: true });
  });

  it('SEC-1: a renewed certificate is picked up without restart', async () => {
    expect(await servedFingerprint()).toBe(fingerprintOf(pairA));
    expect(fingerprintOf(pairB)).not.toBe(fingerprintOf(pairA));

    // Renewal the way certbot-like tools do it: new files renamed over the old ones.
    writeFileSync(`${live.keyFile}.new`, pairB.keyPem);
    writeFileSync(`${live.certFile}.new`, pairB.certPem);
    renameSync(`${live.keyFile}.new`, live.keyFile);
    renameSync(`${live.certFile}.new`, live.certFile);

    await waitFor(() => serves(pairB), 'pair B to be served');
    expect(reloads.at(-1)?.fingerprint256).toBe(fingerprintOf(pairB));
    expect(reloads.at(-1)?.certFile).toBe(live.certFile);
    expect(errors).toEqual([]);
  });

  it('SEC-1: a mismatched or half-written renewal is reported and the good certificate keeps serving', async () => {
    const reloadsBefore = reloads.length;
    writeFileSync(live.keyFile, readFileSync(pairB.otherKeyFile));
    const mismatch = await waitFor(() => errors.find((err) => err.code === 'tls_key_mismatch'), 'onError');
    expect(mismatch.message).toContain(live.keyFile);
    expect(await servedFingerprint()).toBe(fingerprintOf(pairB));

    writeFileSync(live.keyFile, pairB.keyPem);
    writeFileSync(live.certFile, pairB.certPem.slice(0, pairB.certPem.length / 2));
    await waitFor(
      () => errors.find((err) => err.code === 'tls_cert_invalid'),
      'half-written certificate error',
    );
    expect(await servedFingerprint()).toBe(fingerprintOf(pairB));
    expect(reloads.length).toBe(reloadsBefore);

    // Once a complete, valid pair is in place again it is served.
    writeFileSync(live.keyFile, pairA.keyPem);
    writeFileSync(live.certFile, pairA.certPem);
    await waitFor(() => serves(pairA), 'pair A to be served again');
    expect(reloads.length).toBe(reloadsBefore + 1);
  });

  it('SEC-1: a closed watcher no longer reloads', async () => {
    watcher.close();
    const reloadsBefore = reloads.length;
    writeFileSync(live.keyFile, pairB.keyPem);
    writeFileSync(live.certFile, pairB.certPem);
    await sleep(400);
    expect(reloads.length).toBe(reloadsBefore);
    expect(await servedFingerprint()).toBe(fingerprintOf(pairA));
  });
});
