import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/** Wrapped data keys per tenant, link keys per organization, and the tenant secrets sealed with them (SEC-9). */
export const encryptionKeys = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time, not today's DB type
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('tenant_keys')
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('version', t.integer, (c) => c.notNull().check(sql`version >= 1`))
      .addColumn('wrapped_key', t.bytes, (c) => c.notNull())
      .addColumn('master_key_id', t.text, (c) => c.notNull())
      .addColumn('state', t.text, (c) =>
        c.notNull().check(sql`state in ('active', 'decrypt_only', 'retired')`),
      )
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('retired_at', t.timestamp)
      .addPrimaryKeyConstraint('tenant_keys_pk', ['tenant_id', 'version'])
      .execute();
    // Two nodes creating a tenant's first key (or rotating at once) collide here instead of forking keys.
    await db.schema
      .createIndex('tenant_keys_one_active_uq')
      .unique()
      .on('tenant_keys')
      .column('tenant_id')
      .where(sql.ref('state'), '=', 'active')
      .execute();
    await protectTenantTable(db, t.dialect, 'tenant_keys');

    await db.schema
      .createTable('organization_link_keys')
      .addColumn('organization_id', t.id, (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('version', t.integer, (c) => c.notNull().check(sql`version >= 1`))
      // Null once destroyed: the row stays as a record that references of that version are meaningless.
      .addColumn('wrapped_key', t.bytes)
      .addColumn('master_key_id', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('destroyed_at', t.timestamp)
      .addPrimaryKeyConstraint('organization_link_keys_pk', ['organization_id', 'version'])
      .execute();
    await db.schema
      .createIndex('organization_link_keys_one_live_uq')
      .unique()
      .on('organization_link_keys')
      .column('organization_id')
      .where(sql.ref('destroyed_at'), 'is', null)
      .execute();

    await db.schema
      .createTable('tenant_secrets')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('sealed_value', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('tenant_secrets_tenant_name_uq')
      .unique()
      .on('tenant_secrets')
      .columns(['tenant_id', 'name'])
      .execute();
    await protectTenantTable(db, t.dialect, 'tenant_secrets');
  },
});
