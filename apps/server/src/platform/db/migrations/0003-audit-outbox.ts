import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * Audit events wait in the outbox, committed with the change they describe, until the relay moves them
 * into the audit store (SEC-7); the chain heads anchor each tenant's chain outside that store.
 */
export const auditOutbox = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time, not today's DB type
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('audit_outbox')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
      .addColumn('actor_id', t.text, (c) => c.notNull())
      .addColumn('actor_email', t.text, (c) => c.notNull())
      .addColumn('actor_name', t.text, (c) => c.notNull())
      .addColumn('action', t.text, (c) => c.notNull())
      .addColumn('target_type', t.text, (c) => c.notNull())
      .addColumn('target_id', t.text, (c) => c.notNull())
      .addColumn('changes', t.json, (c) => c.notNull())
      .addColumn('request_id', t.text)
      .execute();
    // The relay drains one tenant at a time, oldest (UUIDv7 order) first.
    await db.schema
      .createIndex('audit_outbox_tenant_id_idx')
      .on('audit_outbox')
      .columns(['tenant_id', 'id'])
      .execute();
    await protectTenantTable(db, t.dialect, 'audit_outbox');

    // The last event of each tenant's chain, kept outside the audit store: cutting events off the end
    // of a chain would otherwise leave a shorter chain that still verifies.
    await db.schema
      .createTable('audit_chain_heads')
      .addColumn('tenant_id', t.id, (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
      .addColumn('seq', t.integer, (c) => c.notNull())
      .addColumn('event_id', t.id, (c) => c.notNull())
      .addColumn('hash', t.text, (c) => c.notNull())
      .execute();
    await protectTenantTable(db, t.dialect, 'audit_chain_heads');
  },
});
