import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { DatabaseHandle, Dialect } from '../db/connect';
import { isUuid } from '../db/ids';
import { tenantBinding } from '../db/tenant-scope';

/** The audit store's tables (schema `audit` on PostgreSQL, their own SQLite file in the embedded default). */
export interface AuditEventsTable {
  id: string;
  tenant_id: string;
  seq: number;
  occurred_at: string;
  actor_id: string;
  actor_email: string;
  actor_name: string;
  /** Null once the actor's personal data was erased. */
  actor_salt: string | null;
  actor_digest: string;
  action: string;
  target_type: string;
  target_id: string;
  /** Canonical JSON text of FieldChange[]. */
  changes: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/** SQLite only: a purge in progress; the append-only triggers let exactly this purge through. */
export interface PurgeAuthorizationsTable {
  scope: 'tenant' | 'actor';
  subject: string;
}

export interface AuditDB {
  events: AuditEventsTable;
  purge_authorizations: PurgeAuthorizationsTable;
}

export interface AuditStore {
  /** On PostgreSQL every table reference is qualified with the `audit` schema. */
  db: Kysely<AuditDB>;
  dialect: Dialect;
  /** The unqualified handle, for the store's migrations. */
  // biome-ignore lint/suspicious/noExplicitAny: migrations see the schema of their own time
  root: Kysely<any>;
  destroy(): Promise<void>;
}

export const AUDIT_SCHEMA = 'audit';

/** The embedded default: a second SQLite file next to the main one (`$DATA_DIR/audit.db`), WAL. */
export function openAuditStoreFile(file: string): AuditStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  // A committed event must survive a power loss, not only a process crash.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  // Purged and erased content is overwritten with zeros instead of lingering in free pages.
  database.pragma('secure_delete = ON');
  const db = new Kysely<AuditDB>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', root: db, destroy: () => db.destroy() };
}

/**
 * Production: the `audit` schema of the main PostgreSQL database, reached through the main pool (as
 * the app role, which may only INSERT and SELECT there). The pool belongs to `main`: destroy() is a no-op.
 */
export function auditStoreInPostgres(main: DatabaseHandle): AuditStore {
  if (main.dialect !== 'postgres') throw new Error('auditStoreInPostgres needs a PostgreSQL handle');
  const root = main.db as unknown as Kysely<AuditDB>;
  return {
    db: root.withSchema(AUDIT_SCHEMA),
    dialect: 'postgres',
    root,
    destroy: async () => {},
  };
}

/** Reads of one tenant's events; on PostgreSQL the transaction is bound to the tenant for row-level security. */
export async function readTenantEvents<T>(
  store: AuditStore,
  tenantId: string,
  fn: (db: Kysely<AuditDB>) => Promise<T>,
): Promise<T> {
  const id = tenantIdOf(tenantId);
  if (store.dialect === 'sqlite') return fn(store.db);
  return store.db.transaction().execute(async (trx) => {
    await tenantBinding(id).execute(trx);
    return fn(trx);
  });
}

/** Advisory-lock namespace of the audit relay ('SEC7' in hex), so its keys never meet other locks. */
const RELAY_LOCK_NAMESPACE = 0x53454337;

/**
 * The one writer of a tenant's chain at a time, across processes and nodes. PostgreSQL: an advisory
 * lock on the tenant held until commit. SQLite: BEGIN IMMEDIATE takes the file's write lock up front,
 * so reading the chain head and appending to it cannot interleave with another writer.
 */
export async function appendToTenantChain<T>(
  store: AuditStore,
  tenantId: string,
  fn: (db: Kysely<AuditDB>) => Promise<T>,
): Promise<T> {
  const id = tenantIdOf(tenantId);
  if (store.dialect === 'postgres') {
    return store.db.transaction().execute(async (trx) => {
      await tenantBinding(id).execute(trx);
      await sql`select pg_advisory_xact_lock(${RELAY_LOCK_NAMESPACE}::int4, hashtext(${id}))`.execute(trx);
      return fn(trx);
    });
  }
  return immediateTransaction(store, fn);
}

/** SQLite: a write transaction on the store's single connection (kysely's own BEGIN is deferred). */
export function immediateTransaction<T>(
  store: AuditStore,
  fn: (db: Kysely<AuditDB>) => Promise<T>,
): Promise<T> {
  return store.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

/** SQLite: after a purge, copy the WAL into the file and empty it, so old page images do not linger there. */
export async function truncateWal(store: AuditStore): Promise<void> {
  if (store.dialect === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
}

function tenantIdOf(tenantId: string): string {
  if (!isUuid(tenantId)) throw new Error('The audit store needs a tenant id (UUID)');
  return tenantId.toLowerCase();
}
