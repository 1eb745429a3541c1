import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * The directory identity a user's sign-in yields (issue 5, SEC-6): Entra `tid:oid`, Google `sub`, or the
 * demo directory's ids for the development provider. Employee references are HMACs of it under each
 * organization's link key, which is how "My devices" finds a signed-in employee's things.
 */
export const userEmployeeIdentity = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('users').addColumn('employee_identity', t.text).execute();
  },
});
