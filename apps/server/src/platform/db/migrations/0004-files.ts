import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/** The encrypted file store (invoice PDFs, device images) and one-per-period keys for recurring jobs. */
export const files = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time, not today's DB type
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('files')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('purpose', t.text, (c) => c.notNull())
      .addColumn('content_type', t.text, (c) => c.notNull())
      .addColumn('size_bytes', t.integer, (c) => c.notNull())
      // Sealed with the tenant's data key (SEC-9); never the plaintext.
      .addColumn('content', t.bytes, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('created_by', t.text)
      .addColumn('deleted_at', t.timestamp)
      .addColumn('purge_after', t.timestamp)
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('files_tenant_purge_after_idx')
      .on('files')
      .columns(['tenant_id', 'purge_after'])
      .execute();
    // The purge job scans every tenant by due time.
    await db.schema.createIndex('files_purge_after_idx').on('files').column('purge_after').execute();
    await protectTenantTable(db, t.dialect, 'files');

    // Expand only: existing jobs keep a null key; NULLs never collide in a unique index.
    await db.schema.alterTable('jobs').addColumn('unique_key', t.text).execute();
    await db.schema.createIndex('jobs_unique_key_uq').unique().on('jobs').column('unique_key').execute();
  },
});
