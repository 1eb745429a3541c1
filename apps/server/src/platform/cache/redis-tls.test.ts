import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, type TestCertificates } from '../tls/test-certificates';
import { createRedisCache } from './redis-cache';

// A private TLS Redis needs the redis-server binary: part of the Redis test environment (ARCHITECTURE rule 9).
const wanted = Boolean(process.env.TEST_REDIS_URL) || process.env.CI === 'true';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe.runIf(wanted)('redis cache over TLS', () => {
  let dir: string;
  let certs: TestCertificates;
  let otherCa: TestCertificates;
  let redis: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-redis-tls-'));
    certs = await makeTestCertificates(dir);
    otherCa = await makeTestCertificates(mkdtempSync(path.join(dir, 'other-')));
    port = await freePort();
    const server = spawn(
      'redis-server',
      [
        ...['--bind', '127.0.0.1', '--port', '0', '--tls-port', String(port)],
        ...[
          '--tls-cert-file',
          certs.certFile,
          '--tls-key-file',
          certs.keyFile,
          '--tls-ca-cert-file',
          certs.caFile,
        ],
        ...['--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', dir],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    redis = server;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      server.on('error', reject);
      server.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
  });

  afterAll(async () => {
    if (redis && redis.exitCode === null) {
      const exited = new Promise((resolve) => redis?.once('exit', resolve));
      redis.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-5: talks to a TLS Redis whose certificate the given CA signed', async () => {
    const cache = createRedisCache({
      url: `rediss://localhost:${port}`,
      ca: certs.caPem,
      keyPrefix: 'tls-test:',
      failFast: true,
    });
    try {
      await cache.ping();
      await cache.set('person:1', 'Ada', 5_000);
      expect(await cache.get('person:1')).toBe('Ada');
      await cache.del('person:1');
    } finally {
      await cache.close();
    }
  });

  it('SEC-5: refuses a TLS Redis whose certificate another CA signed', async () => {
    const cache = createRedisCache({
      url: `rediss://localhost:${port}`,
      ca: otherCa.caPem,
      keyPrefix: 'tls-test:',
      failFast: true,
    });
    try {
      await expect(cache.ping()).rejects.toThrow(/certificate/i);
    } finally {
      await cache.close();
    }
  });
});
