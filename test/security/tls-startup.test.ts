import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../apps/server/src/platform/clock';
import { makeTestCertificates } from '../../apps/server/src/platform/tls/test-certificates';
import { spawnServer } from '../support/process';
import { startTestServer } from '../support/server';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-tls-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** GET over HTTPS trusting only `ca`; resolves with status, body and the served certificate. */
function get(url: string, ca: string) {
  return new Promise<{ status: number; body: string; fingerprint: string }>((resolve, reject) => {
    const req = https.get(url, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => {
        const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
        resolve({ status: res.statusCode ?? 0, body, fingerprint: cert.fingerprint256 });
      });
    });
    req.on('error', reject);
  });
}

/** Sends plain HTTP to the TLS port and collects whatever comes back before the socket closes. */
function plainHttp(port: number) {
  return new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    });
    let received = '';
    socket.on('data', (c) => {
      received += c.toString('latin1');
    });
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(received));
    socket.setTimeout(3000, () => socket.destroy());
  });
}

async function expectRefusal(env: Record<string, string>, message: RegExp) {
  const server = spawnServer({ DATA_DIR: tempDir(), PORT: '0', ...env });
  const { code, ms } = await server.exited;
  expect(code).not.toBe(0);
  expect(ms).toBeLessThan(5000);
  expect(server.output()).toMatch(message);
}

describe('the server refuses to start with a bad certificate (process exits non-zero within 5 s)', () => {
  it('SEC-1: an expired certificate', async () => {
    const certs = await makeTestCertificates(tempDir(), {
      notBefore: new Date(Date.now() - 100 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    await expectRefusal({ TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: certs.keyFile }, /expired/);
  });

  it('SEC-1: a certificate that is not yet valid', async () => {
    const certs = await makeTestCertificates(tempDir(), {
      notBefore: new Date(Date.now() + 2 * DAY_MS),
      notAfter: new Date(Date.now() + 90 * DAY_MS),
    });
    await expectRefusal({ TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: certs.keyFile }, /not (yet )?valid/i);
  });

  it('SEC-1: a missing key file', async () => {
    const dir = tempDir();
    const certs = await makeTestCertificates(dir);
    await expectRefusal(
      { TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: path.join(dir, 'no-such-key.pem') },
      /no-such-key\.pem does not exist/,
    );
  });

  it('SEC-1: a key that does not match the certificate', async () => {
    const certs = await makeTestCertificates(tempDir());
    await expectRefusal(
      { TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: certs.otherKeyFile },
      /does not match/,
    );
  });

  it('CFG-1: an invalid configuration lists every problem and exits non-zero', async () => {
    await expectRefusal({ MODE: 'production', PORT: 'x' }, /PORT/);
    await expectRefusal({ MODE: 'production' }, /DATABASE_URL is required[\s\S]*REDIS_URL is required/);
  });
});

describe('the embedded default', () => {
  it('SEC-1: serves /health over HTTPS verified by data/tls/ca.pem; plain HTTP gets no data', async () => {
    const dataDir = tempDir();
    const server = spawnServer({ DATA_DIR: dataDir, PORT: '0' });
    try {
      await server.waitForOutput(/TheStorage is running at https:\/\/localhost:(\d+)/);
      const port = Number(/running at https:\/\/localhost:(\d+)/.exec(server.output())![1]);
      const ca = readFileSync(path.join(dataDir, 'tls', 'ca.pem'), 'utf8');
      expect(server.output()).toContain('ca.pem');
      const res = await get(`https://localhost:${port}/health`, ca);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 'ok',
        tls: { source: 'dev-ca', expiresSoon: false },
      });
      const other = await makeTestCertificates(tempDir());
      await expect(get(`https://localhost:${port}/health`, other.caPem)).rejects.toThrow(/certificate/i);
      const plain = await plainHttp(port);
      expect(plain).not.toContain('"status"');
      expect(plain).not.toMatch(/^HTTP\/1\.1 200/);
    } finally {
      await server.stop();
    }
  });
});

describe('certificate renewal', () => {
  it('SEC-1: replaced certificate files are served without a restart; a broken pair is not', async () => {
    const dir = tempDir();
    const first = await makeTestCertificates(tempDir());
    const live = { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
    copyFileSync(first.certFile, live.cert);
    copyFileSync(first.keyFile, live.key);
    const server = await startTestServer({
      env: { TLS_CERT_FILE: live.cert, TLS_KEY_FILE: live.key, TLS_RELOAD_INTERVAL_MS: '50' },
    });
    try {
      const before = await get(`${server.url}/health`, first.caPem);
      expect(before.fingerprint).toBe(new X509Certificate(first.certPem).fingerprint256);

      const renewed = await makeTestCertificates(tempDir(), { notAfter: new Date(Date.now() + 20 * DAY_MS) });
      // Write then rename, as certbot and most deploy tools do.
      writeFileSync(`${live.key}.tmp`, renewed.keyPem);
      writeFileSync(`${live.cert}.tmp`, renewed.certPem);
      renameSync(`${live.key}.tmp`, live.key);
      renameSync(`${live.cert}.tmp`, live.cert);
      const renewedPrint = new X509Certificate(renewed.certPem).fingerprint256;
      await expect
        .poll(async () => (await get(`${server.url}/health`, renewed.caPem).catch(() => null))?.fingerprint, {
          timeout: 10_000,
          interval: 100,
        })
        .toBe(renewedPrint);
      const health = JSON.parse((await get(`${server.url}/health`, renewed.caPem)).body);
      expect(health.tls).toMatchObject({ source: 'files', expiresSoon: true });

      // A key that does not fit is refused: the renewed certificate stays in service.
      copyFileSync(renewed.otherKeyFile, live.key);
      await new Promise((r) => setTimeout(r, 600));
      expect((await get(`${server.url}/health`, renewed.caPem)).fingerprint).toBe(renewedPrint);
    } finally {
      await server.close();
    }
  });
});
