import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../apps/server/src/config';
import { startServer } from '../../apps/server/src/server';

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  /** The development CA (empty when the test gave its own TLS_CERT_FILE). */
  caPem: string;
  certPem: string;
  close(): Promise<void>;
}

/**
 * The real server, in this process, in the embedded default (own data dir, dev CA, SQLite, memory
 * cache) on a free port. `env` overrides configuration exactly as environment variables would.
 */
export async function startTestServer(opts: { env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-server-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...opts.env });
  const running = await startServer(config, { logger: pino({ level: config.logLevel }) });
  const tlsDir = path.join(dataDir, 'tls');
  const devCa = path.join(tlsDir, 'ca.pem');
  return {
    url: running.url,
    port: running.port,
    dataDir,
    // With TLS_CERT_FILE the caller made the certificates and knows its CA.
    caPem: existsSync(devCa) ? readFileSync(devCa, 'utf8') : '',
    certPem: readFileSync(
      config.tls.source === 'files' ? config.tls.certFile : path.join(tlsDir, 'server.pem'),
      'utf8',
    ),
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
