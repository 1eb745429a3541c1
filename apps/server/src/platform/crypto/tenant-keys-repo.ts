import type { Kysely } from 'kysely';
import type { DB, TenantKeyRow, TenantKeyState } from '../db/schema';

/** One version of a tenant's data key as stored: wrapped, never the key itself. */
export interface StoredTenantKey {
  tenantId: string;
  version: number;
  wrappedKey: Buffer;
  masterKeyId: string;
  state: TenantKeyState;
  createdAt: string;
  retiredAt: string | null;
}

const fromRow = (row: TenantKeyRow): StoredTenantKey => ({
  tenantId: String(row.tenant_id),
  version: Number(row.version),
  wrappedKey: Buffer.from(row.wrapped_key),
  masterKeyId: row.master_key_id,
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
      master_key_id: key.masterKeyId,
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

/** A page of keys (all tenants: system scope) not yet wrapped by `masterKeyId`, after a (tenant, version) cursor. */
export async function tenantKeysWrappedByOthers(
  db: Kysely<DB>,
  masterKeyId: string,
  after: { tenantId: string; version: number } | undefined,
  limit: number,
): Promise<StoredTenantKey[]> {
  let query = db.selectFrom('tenant_keys').selectAll().where('master_key_id', '<>', masterKeyId);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('tenant_id', '>', after.tenantId),
        eb.and([eb('tenant_id', '=', after.tenantId), eb('version', '>', after.version)]),
      ]),
    );
  }
  const rows = await query.orderBy('tenant_id').orderBy('version').limit(limit).execute();
  return rows.map(fromRow);
}

/** Replaces a key's wrapping, only if it is still wrapped by `fromMasterKeyId` (another node may have done it). */
export async function rewrapTenantKey(
  db: Kysely<DB>,
  key: { tenantId: string; version: number; fromMasterKeyId: string },
  wrapping: { wrappedKey: Buffer; masterKeyId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('tenant_keys')
    .set({ wrapped_key: wrapping.wrappedKey, master_key_id: wrapping.masterKeyId })
    .where('tenant_id', '=', key.tenantId)
    .where('version', '=', key.version)
    .where('master_key_id', '=', key.fromMasterKeyId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
