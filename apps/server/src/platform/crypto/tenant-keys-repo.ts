import type { Kysely } from 'kysely';
import type { Dialect } from '../db/connect';
import type { DB, TenantKeyRow, TenantKeyState } from '../db/schema';

/** One version of a tenant's data key as stored: wrapped by the tenant's KEK, never the key itself. */
export interface StoredTenantKey {
  tenantId: string;
  version: number;
  wrappedKey: Buffer;
  /** The KEK that wraps it (column master_key_id). */
  kekId: string;
  state: TenantKeyState;
  createdAt: string;
  retiredAt: string | null;
}

const fromRow = (row: TenantKeyRow): StoredTenantKey => ({
  tenantId: String(row.tenant_id),
  version: Number(row.version),
  wrappedKey: Buffer.from(row.wrapped_key),
  kekId: row.master_key_id,
  state: row.state,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
});

/** Every version of one tenant's data key, oldest first. */
export async function listTenantKeys(db: Kysely<DB>, tenantId: string): Promise<StoredTenantKey[]> {
  const rows = await db
    .selectFrom('tenant_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('version')
    .execute();
  return rows.map(fromRow);
}

/**
 * Adds a key version; false when a unique index refused it (another node created the tenant's key or
 * rotated first). DO NOTHING keeps a PostgreSQL transaction usable, so the caller can re-read.
 */
export async function insertTenantKey(
  db: Kysely<DB>,
  key: Omit<StoredTenantKey, 'retiredAt'>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('tenant_keys')
    .values({
      tenant_id: key.tenantId,
      version: key.version,
      wrapped_key: key.wrappedKey,
      master_key_id: key.kekId,
      state: key.state,
      created_at: key.createdAt,
      retired_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('version')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The active version becomes decrypt-only: it still opens values but seals no new ones. */
export async function demoteActiveKey(db: Kysely<DB>, tenantId: string): Promise<void> {
  await db
    .updateTable('tenant_keys')
    .set({ state: 'decrypt_only' })
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'active')
    .execute();
}

/** Decrypt-only versions older than `belowVersion` become retired: opening their values fails loudly. */
export async function retireKeyVersions(
  db: Kysely<DB>,
  tenantId: string,
  belowVersion: number,
  at: Date,
): Promise<number[]> {
  const rows = await db
    .updateTable('tenant_keys')
    .set({ state: 'retired', retired_at: at.toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'decrypt_only')
    .where('version', '<', belowVersion)
    .returning('version')
    .execute();
  return rows.map((r) => Number(r.version)).sort((a, b) => a - b);
}

/** Crypto-shredding: every version of the tenant's data key is gone. Returns how many were deleted. */
export async function deleteTenantKeys(db: Kysely<DB>, tenantId: string): Promise<number> {
  const result = await db.deleteFrom('tenant_keys').where('tenant_id', '=', tenantId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Holds the tenant's key rows until the transaction ends (PostgreSQL; SQLite runs one writer at a
 * time), so a KEK rotation and a data-key rotation never wrap under a KEK the other is replacing.
 * Read the rows with a new statement afterwards: this one's snapshot predates the wait.
 */
export async function lockTenantKeys(db: Kysely<DB>, dialect: Dialect, tenantId: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await db
    .selectFrom('tenant_keys')
    .select('version')
    .where('tenant_id', '=', tenantId)
    .forUpdate()
    .execute();
}

/** A page of tenants that have data keys (system scope), after a tenant id cursor. */
export async function tenantsWithKeys(
  db: Kysely<DB>,
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  let query = db.selectFrom('tenant_keys').select('tenant_id').distinct();
  if (after) query = query.where('tenant_id', '>', after);
  const rows = await query.orderBy('tenant_id').limit(limit).execute();
  return rows.map((r) => String(r.tenant_id));
}

/** Replaces a key's wrapping, only if it is still wrapped by `fromKekId` (another node may have done it). */
export async function rewrapTenantKey(
  db: Kysely<DB>,
  key: { tenantId: string; version: number; fromKekId: string },
  wrapping: { wrappedKey: Buffer; kekId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('tenant_keys')
    .set({ wrapped_key: wrapping.wrappedKey, master_key_id: wrapping.kekId })
    .where('tenant_id', '=', key.tenantId)
    .where('version', '=', key.version)
    .where('master_key_id', '=', key.fromKekId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
