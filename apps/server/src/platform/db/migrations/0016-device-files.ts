import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * Device invoices and images (issue 7, DEV-1). Each tenant's inventory settings get three switches —
 * invoice management, custom invoice data (the PO extension) and invoice uploads — all on by default,
 * so invoice fields stay where people already see and fill them (turning one off hides, never deletes).
 * A device points at its invoice PDF and its image in the encrypted file store. A removed invoice keeps
 * its pointer while it is restorable; when the purge job deletes the file, the pointer becomes null.
 */
export const deviceFiles = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    for (const column of ['invoice_management', 'custom_invoice_data', 'invoice_uploads']) {
      await db.schema
        .alterTable('inventory_settings')
        .addColumn(column, t.boolean, (c) => c.notNull().defaultTo(1))
        .execute();
    }
    for (const column of ['invoice_file_id', 'image_file_id']) {
      await db.schema
        .alterTable('devices')
        .addColumn(column, t.id, (c) => c.references('files.id').onDelete('set null'))
        .execute();
      // The purge job's delete looks devices up by file to clear the pointer: an index, not a scan.
      await db.schema.createIndex(`devices_${column}_idx`).on('devices').column(column).execute();
    }
  },
});
