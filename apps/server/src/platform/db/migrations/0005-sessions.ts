import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/** Server-side sign-in sessions (SEC-14); platform-level: a session outlives a tenant switch. */
export const sessions = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time, not today's DB type
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('sessions')
      // SHA-256 hex of the opaque cookie value; the value itself is never stored.
      .addColumn('id_hash', t.text, (c) => c.primaryKey())
      .addColumn('user_id', t.text, (c) => c.notNull())
      .addColumn('active_tenant_id', t.id)
      .addColumn('data', t.json, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
      .addColumn('idle_expires_at', t.timestamp, (c) => c.notNull())
      .addColumn('absolute_expires_at', t.timestamp, (c) => c.notNull())
      .execute();
    // Sign-out everywhere (revokeAllForUser) finds a person's sessions.
    await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();
    await db.schema
      .createIndex('sessions_absolute_expires_at_idx')
      .on('sessions')
      .column('absolute_expires_at')
      .execute();
    // idle_expires_at never exceeds absolute_expires_at, so the purge finds every dead session by it.
    await db.schema
      .createIndex('sessions_idle_expires_at_idx')
      .on('sessions')
      .column('idle_expires_at')
      .execute();
  },
});
