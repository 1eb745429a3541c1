import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

const SSLSCAN = '/usr/bin/sslscan';
const available = existsSync(SSLSCAN);
if (!available && process.env.CI === 'true') {
  throw new Error(`${SSLSCAN} is required when CI=true (apt-get install sslscan)`);
}

describe.skipIf(!available)('TLS as a scanner sees it', () => {
  let server: TestServer;
  let xml = '';
  beforeAll(async () => {
    server = await startTestServer();
    const { stdout } = await promisify(execFile)(
      SSLSCAN,
      ['--no-colour', '--xml=-', `127.0.0.1:${server.port}`],
      {
        timeout: 20_000,
      },
    );
    xml = stdout;
  });
  afterAll(() => server?.close());

  it('SEC-1: only TLS 1.2 and 1.3 are enabled', () => {
    const enabled = [...xml.matchAll(/<protocol type="(\w+)" version="([\d.]+)" enabled="1"/g)].map(
      (m) => `${m[1]}${m[2]}`,
    );
    expect(enabled.sort()).toEqual(['tls1.2', 'tls1.3']);
  });

  it('SEC-1: every accepted cipher suite is AEAD with forward secrecy', () => {
    const ciphers = [...xml.matchAll(/<cipher [^>]*cipher="([^"]+)"/g)].map((m) => m[1]!);
    expect(ciphers.length).toBeGreaterThan(3);
    for (const cipher of ciphers) {
      expect(cipher).toMatch(/GCM|CHACHA20/);
      expect(cipher).not.toMatch(/CBC|CCM|ARIA|SHA1$|RSA-AES|^AES/);
      if (!cipher.startsWith('TLS_')) expect(cipher).toMatch(/^ECDHE-/);
    }
  });
});
