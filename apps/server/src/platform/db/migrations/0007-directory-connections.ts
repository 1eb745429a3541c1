import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * Directory connections (issue 5, DIR-1…DIR-3): one per organization, kept by the tenant where an
 * Administrator set it up. No secret here (the credential is a sealed tenant secret) and no person:
 * the people live only in the 14-day directory cache (SEC-5).
 */
export const directoryConnections = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('directory_connections')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('organization_id', t.id, (c) =>
        c.notNull().unique().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('settings', t.json, (c) => c.notNull())
      .addColumn('delta_token', t.text)
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('last_sync_at', t.timestamp)
      .addColumn('last_success_at', t.timestamp)
      .addColumn('last_error_code', t.text)
      .addColumn('last_error_message', t.text)
      .addColumn('last_count', t.integer)
      .addColumn('sync_time', t.text, (c) => c.notNull().defaultTo('08:00'))
      .addColumn('sync_time_zone', t.text, (c) => c.notNull().defaultTo('Europe/Paris'))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('directory_connections_tenant_idx')
      .on('directory_connections')
      .column('tenant_id')
      .execute();
    await protectTenantTable(db, t.dialect, 'directory_connections');
  },
});
