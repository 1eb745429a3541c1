import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/** Organizations, tenants, memberships and the jobs table: the ground every feature builds on. */
export const foundation = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time, not today's DB type
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('organizations')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();

    await db.schema
      .createTable('tenants')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id'))
      .addColumn('slug', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('plan', t.text, (c) => c.notNull())
      .addColumn('trial_ends_at', t.timestamp, (c) => c.notNull())
      .addColumn('cancelled_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('tenants_slug_uq').unique().on('tenants').column('slug').execute();
    await db.schema.createIndex('tenants_organization_idx').on('tenants').column('organization_id').execute();

    await db.schema
      .createTable('memberships')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('organization_id', t.id, (c) => c.notNull().references('organizations.id'))
      .addColumn('subject_ref', t.text, (c) => c.notNull())
      .addColumn('email', t.text)
      .addColumn('role', t.text, (c) => c.notNull())
      .addColumn('is_global', t.boolean, (c) => c.notNull().defaultTo(0).check(sql`is_global in (0, 1)`))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('memberships_tenant_subject_uq')
      .unique()
      .on('memberships')
      .columns(['tenant_id', 'subject_ref'])
      .execute();
    await protectTenantTable(db, t.dialect, 'memberships');

    await db.schema
      .createTable('jobs')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.references('tenants.id').onDelete('cascade'))
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('payload', t.json, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('progress_done', t.integer, (c) => c.notNull().defaultTo(0))
      .addColumn('progress_total', t.integer)
      .addColumn('progress_message', t.text)
      .addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', t.integer, (c) => c.notNull().defaultTo(5))
      .addColumn('run_after', t.timestamp, (c) => c.notNull())
      .addColumn('lease_owner', t.text)
      .addColumn('lease_expires_at', t.timestamp)
      .addColumn('last_error', t.text)
      .addColumn('result', t.json)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('finished_at', t.timestamp)
      .execute();
    // Leasing scans across tenants by due time; tenant listings lead with tenant_id.
    await db.schema
      .createIndex('jobs_status_run_after_idx')
      .on('jobs')
      .columns(['status', 'run_after'])
      .execute();
    await db.schema
      .createIndex('jobs_tenant_created_idx')
      .on('jobs')
      .columns(['tenant_id', 'created_at'])
      .execute();
    await protectTenantTable(db, t.dialect, 'jobs');
  },
});
