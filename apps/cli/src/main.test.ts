import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { DAY_MS } from '../../server/src/platform/clock';
import { makeTestCertificates } from '../../server/src/platform/tls/test-certificates';
import { startHttpsServer, stopServer } from '../../server/src/platform/tls/tls-test-support';
import { run } from './main';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('command-line client', () => {
  let server: TestServer;
  let dir: string;
  let caFile: string;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-cli-'));
    caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, server.caPem);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-2: talks to a server whose certificate verifies against the named CA', async () => {
    const res = await cli(['health', '--server', server.url, '--ca', caFile]);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/TheStorage \d+\.\d+\.\d+ \(embedded\)/);
    expect(res.out).toMatch(/TLS certificate: valid until/);
  });

  it('SEC-2: refuses a server signed by a CA it was not told to trust', async () => {
    const res = await cli(['health', '--server', server.url]);
    expect(res.code).toBe(3);
    expect(res.err).toMatch(/not signed by a trusted CA/);
  });

  it('SEC-2: NODE_TLS_REJECT_UNAUTHORIZED=0 does not switch verification off', async () => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const res = await cli(['health', '--server', server.url]);
      expect(res.code).toBe(3);
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
  });

  it('SEC-2: refuses a certificate made for another host', async () => {
    const certs = await makeTestCertificates(mkdtempSync(path.join(dir, 'other-')), {
      hosts: ['other.example'],
    });
    const { server: raw, port } = await startHttpsServer({ cert: certs.certPem, key: certs.keyPem });
    try {
      const res = await cli(['health', '--server', `https://localhost:${port}`, '--ca', certs.caFile]);
      expect(res.code).toBe(3);
      expect(res.err).toMatch(/for another host name/);
    } finally {
      await stopServer(raw);
    }
  });

  it('SEC-2: refuses an expired certificate even from a trusted CA', async () => {
    const certs = await makeTestCertificates(mkdtempSync(path.join(dir, 'expired-')), {
      notBefore: new Date(Date.now() - 60 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    const { server: raw, port } = await startHttpsServer({ cert: certs.certPem, key: certs.keyPem });
    try {
      const res = await cli(['health', '--server', `https://localhost:${port}`, '--ca', certs.caFile]);
      expect(res.code).toBe(3);
      expect(res.err).toMatch(/expired/);
    } finally {
      await stopServer(raw);
    }
  });

  it('SEC-2: refuses a plain http:// address and has no insecure switch', async () => {
    const plain = await cli(['health', '--server', `http://localhost:${server.port}`]);
    expect(plain.code).toBe(3);
    expect(plain.err).toMatch(/not https/);
    const insecure = await cli(['health', '--server', server.url, '--insecure']);
    expect(insecure.code).toBe(2);
    expect(insecure.err).toMatch(/Unknown option '--insecure'/);
  });
});
