import { sql, type Transaction } from 'kysely';
import type { DatabaseHandle } from './connect';
import { isUuid } from './ids';
import type { DB } from './schema';

/**
 * One transaction bound to one tenant. On PostgreSQL the binding is also set for row-level security;
 * `set_config(..., true)` lasts only for this transaction, so a pooled connection never carries it on.
 */
export async function withTenant<T>(
  handle: DatabaseHandle,
  tenantId: string,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (!isUuid(tenantId)) throw new Error('Tenant scope needs a tenant id (UUID)');
  const id = tenantId.toLowerCase();
  return handle.db.transaction().execute(async (trx) => {
    if (handle.dialect === 'postgres')
      await sql`select set_config('app.tenant_id', ${id}, true)`.execute(trx);
    return fn(trx);
  });
}

/** Platform code only (job leasing across tenants, the platform console): sees every tenant's rows. */
export async function withSystem<T>(
  handle: DatabaseHandle,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return handle.db.transaction().execute(async (trx) => {
    if (handle.dialect === 'postgres') await sql`select set_config('app.system', 'on', true)`.execute(trx);
    return fn(trx);
  });
}
