import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * DEV-9, SPEC 9: a tenant's devices version, raised in the same transaction as every write that can change
 * which devices a list matches (create, edit, tags, delete, move, import). A list total computed at one
 * version holds until the next, so it is kept and not counted again (docs/decisions.md). Deleting a tag
 * needs none: a list filtered by a tag that is gone matches nothing, and an empty page is its own total.
 */
export const devicesVersion = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('inventory_settings')
      .addColumn('devices_version', t.integer, (c) => c.notNull().defaultTo(0))
      .execute();
  },
});
