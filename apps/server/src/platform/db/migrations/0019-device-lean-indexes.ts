import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * SPEC 9 (import at 100,000 rows, DEV-12): every device pays for every index it enters. Five device
 * indexes serve lookups of a value most devices lack — a barcode (when barcodes are off), an employee or a
 * place (devices with IT), an invoice PDF or an image — so they now hold only the devices that have one
 * (partial indexes; `column = ?` implies `column is not null`, so every lookup still uses them).
 * On SQLite the device–tag links become a WITHOUT ROWID table: the (device, tag) key is the table, one
 * B-tree fewer for each of the 200,000 links a 100,000-device import writes.
 */
export const deviceLeanIndexes = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    const partial = async (name: string, columns: string, unique = false) => {
      const column = columns
        .split(',')
        .map((c) => c.trim())
        .find((c) => c !== 'tenant_id')!;
      await sql`drop index ${sql.id(name)}`.execute(db);
      await sql`create ${sql.raw(unique ? 'unique ' : '')}index ${sql.id(name)} on devices (${sql.raw(columns)})
        where ${sql.id(column)} is not null`.execute(db);
    };
    await partial('devices_barcode_uq', 'tenant_id, barcode_key', true);
    await partial('devices_employee_idx', 'tenant_id, employee_ref, number');
    await partial('devices_place_idx', 'tenant_id, place_id, number');
    await partial('devices_invoice_file_id_idx', 'invoice_file_id');
    await partial('devices_image_file_id_idx', 'image_file_id');

    if (t.dialect !== 'sqlite') return;
    await sql`create table device_tags_lean (
        tenant_id text not null references tenants (id) on delete cascade,
        device_id text not null references devices (id) on delete cascade,
        tag_id text not null references tags (id) on delete cascade,
        constraint device_tags_pk primary key (device_id, tag_id)
      ) without rowid`.execute(db);
    await sql`insert into device_tags_lean (tenant_id, device_id, tag_id)
      select tenant_id, device_id, tag_id from device_tags`.execute(db);
    await sql`drop table device_tags`.execute(db);
    await sql`alter table device_tags_lean rename to device_tags`.execute(db);
    await sql`create index device_tags_tag_idx on device_tags (tenant_id, tag_id, device_id)`.execute(db);
  },
});
