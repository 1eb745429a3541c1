import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * The inventory core (issue 6, DEV-1…DEV-11): categories, places, tags, vendors, devices with their
 * tags and comments, and each tenant's inventory settings (default place, barcode scheme, counters).
 * Names unique per tenant are compared through a lower-cased `*_key` column. A device refers to an
 * employee only by reference (SEC-6). `search_text` (lower-cased number, name, serial and barcode) feeds
 * SQLite FTS5 with the trigram tokenizer and a PostgreSQL pg_trgm index.
 */
export const inventory = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    const tenantColumn = (c: ReturnType<typeof db.schema.createTable>) =>
      c
        .addColumn('id', t.id, (col) => col.primaryKey())
        .addColumn('tenant_id', t.id, (col) => col.notNull().references('tenants.id').onDelete('cascade'));
    const stamps = (c: ReturnType<typeof db.schema.createTable>) =>
      c
        .addColumn('created_at', t.timestamp, (col) => col.notNull())
        .addColumn('updated_at', t.timestamp, (col) => col.notNull())
        .addColumn('version', t.integer, (col) => col.notNull().defaultTo(1));
    const uniqueName = async (table: string) => {
      await db.schema
        .createIndex(`${table}_name_uq`)
        .unique()
        .on(table)
        .columns(['tenant_id', 'name_key'])
        .execute();
      await protectTenantTable(db, t.dialect, table);
    };

    await stamps(
      tenantColumn(db.schema.createTable('categories'))
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('name_key', t.text, (c) => c.notNull())
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addColumn('append_to_name', t.boolean, (c) => c.notNull().defaultTo(0)),
    ).execute();
    await uniqueName('categories');

    await stamps(
      tenantColumn(db.schema.createTable('places'))
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('name_key', t.text, (c) => c.notNull()),
    ).execute();
    await uniqueName('places');

    await stamps(
      tenantColumn(db.schema.createTable('tags'))
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('name_key', t.text, (c) => c.notNull())
        .addColumn('color', t.text, (c) => c.notNull()),
    ).execute();
    await uniqueName('tags');

    await stamps(
      tenantColumn(db.schema.createTable('vendors'))
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('name_key', t.text, (c) => c.notNull())
        .addColumn('website', t.text),
    ).execute();
    await uniqueName('vendors');

    await db.schema
      .createTable('inventory_settings')
      .addColumn('tenant_id', t.id, (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
      .addColumn('default_place_id', t.id, (c) => c.references('places.id').onDelete('set null'))
      .addColumn('barcode_mode', t.text, (c) => c.notNull().defaultTo('disabled'))
      .addColumn('barcode_prefix', t.text, (c) => c.notNull().defaultTo(''))
      .addColumn('barcode_digits', t.integer, (c) => c.notNull().defaultTo(6))
      .addColumn('next_device_number', t.integer, (c) => c.notNull().defaultTo(1))
      .addColumn('next_barcode_number', t.integer, (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await protectTenantTable(db, t.dialect, 'inventory_settings');

    await stamps(
      tenantColumn(db.schema.createTable('devices'))
        .addColumn('number', t.integer, (c) => c.notNull())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('name_key', t.text, (c) => c.notNull())
        .addColumn('serial', t.text)
        .addColumn('serial_key', t.text)
        .addColumn('category_id', t.id, (c) => c.references('categories.id'))
        .addColumn('attribute_values', t.json, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('ever_assigned', t.boolean, (c) => c.notNull().defaultTo(0))
        .addColumn('assignee_kind', t.text, (c) => c.notNull())
        .addColumn('employee_ref', t.text)
        .addColumn('place_id', t.id, (c) => c.references('places.id'))
        .addColumn('barcode', t.text)
        .addColumn('barcode_key', t.text)
        .addColumn('price', t.text)
        .addColumn('currency', t.text)
        .addColumn('vendor_id', t.id, (c) => c.references('vendors.id').onDelete('set null'))
        .addColumn('invoice_number', t.text)
        .addColumn('invoice_date', t.text)
        .addColumn('po_extension', t.text)
        .addColumn('warranty_end', t.text)
        .addColumn('search_text', t.text, (c) => c.notNull()),
    ).execute();
    const deviceIndex = async (name: string, columns: string[], unique = false) => {
      let builder = db.schema.createIndex(name).on('devices').columns(columns);
      if (unique) builder = builder.unique();
      await builder.execute();
    };
    await deviceIndex('devices_number_uq', ['tenant_id', 'number'], true);
    await deviceIndex('devices_serial_uq', ['tenant_id', 'serial_key'], true);
    await deviceIndex('devices_barcode_uq', ['tenant_id', 'barcode_key'], true);
    // Keyset pages for each sort of DEV-9, and the filters that narrow them.
    // Ties break on the number, unique per tenant, so every sort is a total order for keyset paging.
    await deviceIndex('devices_name_idx', ['tenant_id', 'name_key', 'number']);
    await deviceIndex('devices_created_idx', ['tenant_id', 'created_at', 'number']);
    await deviceIndex('devices_updated_idx', ['tenant_id', 'updated_at', 'number']);
    // Devices without a barcode sort as the empty string, so the order has no NULLs to special-case.
    await db.schema
      .createIndex('devices_barcode_sort_idx')
      .on('devices')
      .expression(sql`tenant_id, coalesce(barcode_key, ''), number`)
      .execute();
    await deviceIndex('devices_status_idx', ['tenant_id', 'status', 'number']);
    await deviceIndex('devices_category_idx', ['tenant_id', 'category_id', 'number']);
    await deviceIndex('devices_employee_idx', ['tenant_id', 'employee_ref', 'number']);
    await deviceIndex('devices_place_idx', ['tenant_id', 'place_id', 'number']);
    await deviceIndex('devices_vendor_idx', ['tenant_id', 'vendor_id']);
    await protectTenantTable(db, t.dialect, 'devices');

    await db.schema
      .createTable('device_tags')
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('device_id', t.id, (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('tag_id', t.id, (c) => c.notNull().references('tags.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('device_tags_pk', ['device_id', 'tag_id'])
      .execute();
    await db.schema
      .createIndex('device_tags_tag_idx')
      .on('device_tags')
      .columns(['tenant_id', 'tag_id', 'device_id'])
      .execute();
    await protectTenantTable(db, t.dialect, 'device_tags');

    await tenantColumn(db.schema.createTable('device_comments'))
      .addColumn('device_id', t.id, (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('body', t.text, (c) => c.notNull())
      .addColumn('author_id', t.text, (c) => c.notNull())
      .addColumn('author_email', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('device_comments_device_idx')
      .on('device_comments')
      .columns(['tenant_id', 'device_id', 'created_at'])
      .execute();
    await protectTenantTable(db, t.dialect, 'device_comments');

    if (t.dialect === 'postgres') {
      // Trusted since PostgreSQL 13: the database owner may create it.
      await sql`create extension if not exists pg_trgm`.execute(db);
      await sql`create index devices_search_trgm on devices using gin (search_text gin_trgm_ops)`.execute(db);
    } else {
      // FTS5 (trigram: substring search from 3 characters) keyed by a rowid of our own: SQLite's implicit
      // rowids may be renumbered by VACUUM, `search_rowid` never is. Queries join back to devices and
      // filter by tenant there.
      await sql`alter table devices add column search_rowid integer`.execute(db);
      await sql`create unique index devices_search_rowid_uq on devices (search_rowid)`.execute(db);
      await sql`create virtual table devices_fts using fts5(search_text, tokenize='trigram')`.execute(db);
      await sql`create trigger devices_fts_insert after insert on devices begin
        update devices set search_rowid = coalesce((select max(search_rowid) from devices), 0) + 1
         where id = new.id;
        insert into devices_fts(rowid, search_text)
          select search_rowid, search_text from devices where id = new.id;
      end`.execute(db);
      await sql`create trigger devices_fts_delete after delete on devices begin
        delete from devices_fts where rowid = old.search_rowid;
      end`.execute(db);
      await sql`create trigger devices_fts_update after update of search_text on devices begin
        update devices_fts set search_text = new.search_text where rowid = new.search_rowid;
      end`.execute(db);
    }
  },
});
