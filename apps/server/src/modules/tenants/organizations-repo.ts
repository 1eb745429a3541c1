import type { Transaction } from 'kysely';
import { newId } from '../../platform/db/ids';
import type { DB, OrganizationRow } from '../../platform/db/schema';

/** Organizations are platform-level rows (no tenant_id): only the system scope builds this repo. */
export const organizationsRepo = (trx: Transaction<DB>) => ({
  async create(input: { name: string }, now: Date): Promise<OrganizationRow> {
    const at = now.toISOString();
    const row = { id: newId(), name: input.name, created_at: at, updated_at: at, version: 1 };
    await trx.insertInto('organizations').values(row).execute();
    return row;
  },

  async getById(id: string): Promise<OrganizationRow | undefined> {
    return trx.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  },
});

export type OrganizationsRepo = ReturnType<typeof organizationsRepo>;
