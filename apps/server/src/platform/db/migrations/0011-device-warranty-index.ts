import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/** DASH-1: warranties expiring within 90 days, and the list filter by warranty state, from an index. */
export const deviceWarrantyIndex = (_t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createIndex('devices_warranty_idx')
      .on('devices')
      .columns(['tenant_id', 'warranty_end', 'number'])
      .execute();
  },
});
