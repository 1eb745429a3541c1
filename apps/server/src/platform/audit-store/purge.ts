import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect';
import { isUuid } from '../db/ids';
import { withTenant } from '../db/tenant-scope';
import { ERASED } from './event';
import { type AuditStore, immediateTransaction, truncateWal } from './store';

/**
 * Removes a tenant's whole history (retention end, SEC-7; deletion request, SEC-12), and with `main`
 * its chain head. PostgreSQL: the owner's audit.purge_tenant; SQLite: a purge authorisation the
 * append-only trigger honours, for this transaction only.
 */
export async function purgeTenantAudit(
  store: AuditStore,
  tenantId: string,
  opts: { main?: DatabaseHandle } = {},
): Promise<{ removed: number }> {
  if (!isUuid(tenantId)) throw new Error('Purging audit history needs a tenant id (UUID)');
  const tenant = tenantId.toLowerCase();
  const result = await removeTenantEvents(store, tenant);
  // The anchor goes last: a crash before this leaves a head that reports the purge, never a silent gap.
  if (opts.main) {
    await withTenant(opts.main, tenant, (trx) =>
      trx.deleteFrom('audit_chain_heads').where('tenant_id', '=', tenant).execute(),
    );
  }
  return result;
}

async function removeTenantEvents(store: AuditStore, tenant: string): Promise<{ removed: number }> {
  if (store.dialect === 'postgres') {
    const { rows } = await sql<{ removed: number }>`
      select audit.purge_tenant(${tenant}::uuid) as removed`.execute(store.db);
    return { removed: Number(rows[0]?.removed ?? 0) };
  }
  const result = await immediateTransaction(store, async (db) => {
    await db.insertInto('purge_authorizations').values({ scope: 'tenant', subject: tenant }).execute();
    const result = await db.deleteFrom('events').where('tenant_id', '=', tenant).executeTakeFirst();
    await db
      .deleteFrom('purge_authorizations')
      .where('scope', '=', 'tenant')
      .where('subject', '=', tenant)
      .execute();
    return { removed: Number(result.numDeletedRows) };
  });
  await truncateWal(store);
  return result;
}

/**
 * Erases one actor's e-mail and name from every tenant's history on request, leaving '[erased]'. Their
 * salt goes too, so the digest the chain keeps can no longer be tested against a guessed e-mail; the
 * chain still verifies.
 */
export async function purgeActorPersonalData(
  store: AuditStore,
  actorId: string,
): Promise<{ erased: number }> {
  if (actorId.length === 0) throw new Error('Erasing an actor needs their id');
  if (store.dialect === 'postgres') {
    const { rows } = await sql<{ erased: number }>`
      select audit.purge_actor(${actorId}) as erased`.execute(store.db);
    return { erased: Number(rows[0]?.erased ?? 0) };
  }
  const result = await immediateTransaction(store, async (db) => {
    await db.insertInto('purge_authorizations').values({ scope: 'actor', subject: actorId }).execute();
    const result = await db
      .updateTable('events')
      .set({ actor_email: ERASED, actor_name: ERASED, actor_salt: null })
      .where('actor_id', '=', actorId)
      .where('actor_salt', 'is not', null)
      .executeTakeFirst();
    await db
      .deleteFrom('purge_authorizations')
      .where('scope', '=', 'actor')
      .where('subject', '=', actorId)
      .execute();
    return { erased: Number(result.numUpdatedRows) };
  });
  await truncateWal(store);
  return result;
}
