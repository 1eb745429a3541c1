import { readFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { type Config, redactUrl } from './config';
import { seedDemoOrganization } from './demo';
import type { Cache } from './platform/cache/cache';
import { createMemoryCache } from './platform/cache/memory-cache';
import { createRedisCache } from './platform/cache/redis-cache';
import { type Clock, DAY_MS, systemClock } from './platform/clock';
import { type DatabaseHandle, openPostgres, openSqlite } from './platform/db/connect';
import { checkAppRole, migrateToLatest } from './platform/db/migrations';
import { type CertificatePair, certificateStatus, loadCertificatePair } from './platform/tls/certificate';
import { devCaTrustInstructions, ensureDevCertificate } from './platform/tls/dev-ca';
import { tlsHardening } from './platform/tls/tls-options';
import { watchCertificateFiles } from './platform/tls/watcher';

/** A reason not to start that is not about TLS (those are TlsConfigError). */
export class StartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  close(): Promise<void>;
}

export const VERSION: string = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
).version;

function readCa(file: string | undefined): string | undefined {
  return file ? readFileSync(file, 'utf8') : undefined;
}

async function openDatabase(config: Config, logger: FastifyBaseLogger): Promise<DatabaseHandle> {
  const production = config.mode === 'production';
  if (config.database.kind === 'sqlite') {
    if (production)
      throw new StartupError('sqlite_in_production', 'MODE=production needs PostgreSQL (DATABASE_URL)');
    const handle = openSqlite(config.database.file);
    await migrateToLatest(handle);
    return handle;
  }
  const { url, migrationUrl, caFile } = config.database;
  const ca = readCa(caFile);
  const ssl = ca ? { ca } : undefined;
  if (migrationUrl) {
    const owner = openPostgres({ url: migrationUrl, ssl, requireTls: production, max: 1 });
    try {
      await migrateToLatest(owner, { appRole: decodeURIComponent(new URL(url).username) });
    } finally {
      await owner.destroy();
    }
  }
  const handle = openPostgres({ url, ssl, requireTls: production });
  if (!migrationUrl) await migrateToLatest(handle);
  if (production) {
    const problems = await checkAppRole(handle);
    if (problems.length > 0) {
      await handle.destroy();
      throw new StartupError(
        'database_role_unsafe',
        `The database role of DATABASE_URL may bypass row-level security (${problems.join('; ')}). ` +
          'Connect as a non-owner role and run migrations with DATABASE_MIGRATION_URL.',
      );
    }
  }
  logger.info({ database: redactUrl(url) }, 'database ready');
  return handle;
}

function openCache(config: Config, clock: Clock, logger: FastifyBaseLogger): Cache {
  if (config.cache.kind === 'memory') return createMemoryCache({ clock });
  return createRedisCache({
    url: config.cache.url,
    ca: readCa(config.cache.caFile),
    keyPrefix: 'thestorage:',
    onError: (error) => logger.warn({ err: error }, 'cache connection problem'),
  });
}

async function loadTls(
  config: Config,
  now: Date,
  logger: FastifyBaseLogger,
  announce: (text: string) => void,
): Promise<CertificatePair | null> {
  if (config.tls.source === 'proxy') return null;
  if (config.tls.source === 'files') return loadCertificatePair(config.tls.certFile, config.tls.keyFile, now);
  const dev = await ensureDevCertificate(config.dataDir, now);
  if (dev.createdCa) {
    logger.info({ caFile: dev.caFile }, 'created a local development certificate authority');
    announce(devCaTrustInstructions(dev.caFile));
  }
  return loadCertificatePair(dev.certFile, dev.keyFile, now);
}

/** Starts one app node: TLS first (a bad certificate stops us before anything else), then data, then HTTP. */
export async function startServer(
  config: Config,
  options: { logger: FastifyBaseLogger; clock?: Clock; announce?: (text: string) => void },
): Promise<RunningServer> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  let pair = await loadTls(config, clock.now(), logger, options.announce ?? (() => {}));

  const database = await openDatabase(config, logger);
  const cache = openCache(config, clock, logger);
  if (config.mode === 'embedded') await seedDemoOrganization(database, clock, logger);

  const tlsStatus = () => {
    if (!pair) return { source: 'proxy' as const, notAfter: null, daysLeft: null, expiresSoon: false };
    return { source: config.tls.source as 'dev-ca' | 'files', ...certificateStatus(pair, clock.now()) };
  };
  const app = await buildApp({
    config,
    version: VERSION,
    clock,
    database,
    cache,
    https: pair ? { ...tlsHardening, cert: pair.certPem, key: pair.keyPem } : undefined,
    tlsStatus,
    tlsNotAfter: () => pair?.notAfter ?? null,
    logger,
  });

  const warnIfExpiring = () => {
    const status = tlsStatus();
    if (status.expiresSoon) {
      logger.warn(
        { notAfter: status.notAfter, daysLeft: status.daysLeft },
        'TLS certificate expires soon: renew it',
      );
    }
  };
  warnIfExpiring();
  const expiryTimer = setInterval(warnIfExpiring, DAY_MS);
  expiryTimer.unref();

  const watcher =
    pair && config.tls.source !== 'proxy'
      ? watchCertificateFiles({
          certFile: pair.certFile!,
          keyFile: pair.keyFile!,
          intervalMs: config.tls.reloadIntervalMs,
          clock,
          onReload(next) {
            (app.server as Server).setSecureContext({
              ...tlsHardening,
              cert: next.certPem,
              key: next.keyPem,
            });
            pair = next;
            logger.info({ notAfter: next.notAfter.toISOString() }, 'TLS certificate reloaded');
            warnIfExpiring();
          },
          onError(error) {
            logger.error(
              { code: error.code },
              `TLS certificate not reloaded, keeping the current one: ${error.message}`,
            );
          },
        })
      : undefined;

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    watcher?.close();
    clearInterval(expiryTimer);
    await app.close();
    await cache.close();
    await database.destroy();
    throw new StartupError(
      'listen_failed',
      `Cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${pair ? 'https' : 'http'}://localhost:${port}`;
  logger.info({ url, mode: config.mode }, `TheStorage is running at ${url}`);

  return {
    app,
    url,
    port,
    async close() {
      watcher?.close();
      clearInterval(expiryTimer);
      await app.close();
      await cache.close();
      await database.destroy();
    },
  };
}
