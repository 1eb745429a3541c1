import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { type Config, redactUrl } from './config';
import { migrateAuditStore } from './platform/audit-store/migrate';
import { type AuditStore, auditStoreInPostgres, openAuditStoreFile } from './platform/audit-store/store';
import type { Cache } from './platform/cache/cache';
import { createMemoryCache } from './platform/cache/memory-cache';
import { createRedisCache } from './platform/cache/redis-cache';
import type { Clock } from './platform/clock';
import { type DatabaseHandle, openPostgres, openSqlite, openSqliteBulkReader } from './platform/db/connect';
import { checkAppRole, migrateToLatest } from './platform/db/migrations';

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

export interface Stores {
  database: DatabaseHandle;
  /** The append-only audit history (SEC-7): its own SQLite file, or the `audit` schema on PostgreSQL. */
  auditStore: AuditStore;
  /**
   * Where reads of a whole tenant go (exports): on SQLite a connection of its own that maps no file pages
   * (`openSqliteBulkReader`); on PostgreSQL the same pool.
   */
  bulkReader: DatabaseHandle;
  close(): Promise<void>;
}

const readCa = (file: string | undefined) => (file ? readFileSync(file, 'utf8') : undefined);

/** Opens and migrates the SQL database and the audit store; production refuses an app role that bypasses RLS. */
export async function openStores(config: Config, logger: FastifyBaseLogger): Promise<Stores> {
  const production = config.mode === 'production';
  if (config.database.kind === 'sqlite') {
    if (production)
      throw new StartupError('sqlite_in_production', 'MODE=production needs PostgreSQL (DATABASE_URL)');
    const database = openSqlite(config.database.file);
    await migrateToLatest(database);
    const auditStore = openAuditStoreFile(path.join(config.dataDir, 'audit.db'));
    await migrateAuditStore(auditStore);
    const bulkReader = openSqliteBulkReader(config.database.file, database);
    return {
      database,
      auditStore,
      bulkReader,
      close: async () => {
        await bulkReader.destroy();
        await closeBoth(database, auditStore);
      },
    };
  }

  const { url, migrationUrl, caFile, preparedStatements } = config.database;
  const ca = readCa(caFile);
  const ssl = ca ? { ca } : undefined;
  if (migrationUrl) {
    const owner = openPostgres({ url: migrationUrl, ssl, requireTls: production, max: 1 });
    const appRole = decodeURIComponent(new URL(url).username);
    try {
      await migrateToLatest(owner, { appRole });
      await migrateAuditStore(auditStoreInPostgres(owner), { appRole });
    } finally {
      await owner.destroy();
    }
  }
  const database = openPostgres({ url, ssl, requireTls: production, preparedStatements });
  if (!migrationUrl) {
    await migrateToLatest(database);
    await migrateAuditStore(auditStoreInPostgres(database));
  }
  if (production) {
    const problems = await checkAppRole(database);
    if (problems.length > 0) {
      await database.destroy();
      throw new StartupError(
        'database_role_unsafe',
        `The database role of DATABASE_URL may bypass row-level security (${problems.join('; ')}). ` +
          'Connect as a non-owner role and run migrations with DATABASE_MIGRATION_URL.',
      );
    }
  }
  logger.info({ database: redactUrl(url) }, 'database ready');
  const auditStore = auditStoreInPostgres(database);
  return { database, auditStore, bulkReader: database, close: () => closeBoth(database, auditStore) };
}

async function closeBoth(database: DatabaseHandle, auditStore: AuditStore) {
  await auditStore.destroy();
  await database.destroy();
}

export function openCache(config: Config, clock: Clock, logger: FastifyBaseLogger): Cache {
  if (config.cache.kind === 'memory') return createMemoryCache({ clock });
  return createRedisCache({
    url: config.cache.url,
    ca: readCa(config.cache.caFile),
    keyPrefix: 'thestorage:',
    onError: (error) => logger.warn({ err: error }, 'cache connection problem'),
  });
}
