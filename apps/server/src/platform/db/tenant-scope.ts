import { sql, type Transaction } from 'kysely';
import type { DatabaseHandle } from './connect';
import { WITH_BEGIN } from './deferred-begin';
import { isUuid } from './ids';
import type { DB } from './schema';

/**
 * PostgreSQL: the statement that binds a transaction to a tenant for row-level security, sent with the
 * transaction's BEGIN (one round trip); the id is written in as a literal, so it must be a UUID.
 */
export function tenantBinding(tenantId: string) {
  if (!isUuid(tenantId)) throw new Error('Tenant scope needs a tenant id (UUID)');
  return sql.raw(`${WITH_BEGIN}select set_config('app.tenant_id', '${tenantId.toLowerCase()}', true)`);
}

/** PostgreSQL: the system scope's binding, sent with the transaction's BEGIN like a tenant's. */
const SYSTEM_BINDING = sql.raw(`${WITH_BEGIN}select set_config('app.system', 'on', true)`);

/**
 * One transaction bound to one tenant. On PostgreSQL the binding is also set for row-level security;
 * `set_config(..., true)` lasts only for this transaction, so a pooled connection never carries it on.
 */
export async function withTenant<T>(
  handle: DatabaseHandle,
  tenantId: string,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  // An id that is not a UUID is refused before any statement; SQLite needs no binding statement.
  if (!isUuid(tenantId)) throw new Error('Tenant scope needs a tenant id (UUID)');
  const binding = handle.dialect === 'postgres' ? tenantBinding(tenantId) : undefined;
  return handle.db.transaction().execute(async (trx) => {
    if (binding) await binding.execute(trx);
    return fn(trx);
  });
}

/** Platform code only (job leasing across tenants, the platform console): sees every tenant's rows. */
export async function withSystem<T>(
  handle: DatabaseHandle,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return handle.db.transaction().execute(async (trx) => {
    if (handle.dialect === 'postgres') await SYSTEM_BINDING.execute(trx);
    return fn(trx);
  });
}
