import type { Kysely } from 'kysely';
import { newId } from '../../platform/db/ids';
import type { DB, ScimTokenRow } from '../../platform/db/schema';

/** One tenant's SCIM token row: the hash of the token, never the token (DIR-4). */
export const scimTokensRepo = (trx: Kysely<DB>, tenantId: string) => ({
  async get(): Promise<ScimTokenRow | undefined> {
    return trx.selectFrom('scim_tokens').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  },

  /** Replaces the tenant's token: the previous hash is gone, so the old token stops working at once. */
  async replace(
    input: { organizationId: string; tokenHash: string },
    now: Date,
  ): Promise<{ before?: ScimTokenRow; after: ScimTokenRow }> {
    const before = await this.get();
    await trx.deleteFrom('scim_tokens').where('tenant_id', '=', tenantId).execute();
    const row = {
      id: newId(),
      tenant_id: tenantId,
      organization_id: input.organizationId,
      token_hash: input.tokenHash,
      created_at: now.toISOString(),
      last_used_at: null,
    };
    await trx.insertInto('scim_tokens').values(row).execute();
    return { before, after: row };
  },

  /** Returns the removed row, if there was one. */
  async remove(): Promise<ScimTokenRow | undefined> {
    const previous = await this.get();
    if (previous) await trx.deleteFrom('scim_tokens').where('tenant_id', '=', tenantId).execute();
    return previous;
  },

  async markUsed(id: string, now: Date): Promise<void> {
    await trx
      .updateTable('scim_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  },
});
