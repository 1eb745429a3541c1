import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * Device imports (issue 7, DEV-12): one row per uploaded file, from upload through mapping and dry run to
 * the background run. The file itself sits sealed in `files`; `content_hash` lets a second upload of the
 * same file be recognised. The run writes the devices and sets `status = 'completed'` in one transaction,
 * so a crash leaves either both or neither.
 */
export const deviceImports = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('device_imports')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('file_id', t.id, (c) => c.references('files.id').onDelete('set null'))
      .addColumn('file_name', t.text, (c) => c.notNull())
      .addColumn('format', t.text, (c) => c.notNull())
      .addColumn('size_bytes', t.integer, (c) => c.notNull())
      .addColumn('content_hash', t.text, (c) => c.notNull())
      .addColumn('columns', t.json, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('problems', t.json, (c) => c.notNull())
      .addColumn('problem_count', t.integer, (c) => c.notNull().defaultTo(0))
      .addColumn('summary', t.json)
      .addColumn('job_id', t.id)
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('created_by_email', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('finished_at', t.timestamp)
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('device_imports_recent_idx')
      .on('device_imports')
      .columns(['tenant_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('device_imports_hash_idx')
      .on('device_imports')
      .columns(['tenant_id', 'content_hash'])
      .execute();
    await protectTenantTable(db, t.dialect, 'device_imports');
  },
});
