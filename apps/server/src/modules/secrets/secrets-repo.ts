import type { Kysely } from 'kysely';
import type { Keyring, SealContext } from '../../platform/crypto/keyring';
import { registerSealedColumn } from '../../platform/crypto/sealed-columns';
import { newId } from '../../platform/db/ids';
import type { DB } from '../../platform/db/schema';

export const SECRETS_TABLE = 'tenant_secrets';
export const SECRETS_COLUMN = 'sealed_value';

// Key rotation re-encrypts this column with the rest (rotation.ts walks every registered column).
registerSealedColumn({ table: SECRETS_TABLE, column: SECRETS_COLUMN, idColumn: 'id', kind: 'text' });

/** What may be shown about a secret: never its value. */
export interface SecretInfo {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const secretSealContext = (tenantId: string, id: string): SealContext => ({
  tenantId,
  table: SECRETS_TABLE,
  column: SECRETS_COLUMN,
  rowId: id,
});

const infoOf = (row: {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  version: number;
}) => ({
  id: String(row.id),
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: Number(row.version),
});

/** One tenant's secrets; values are sealed in the caller's transaction and opened only on request. */
export const secretsRepo = (trx: Kysely<DB>, tenantId: string) => ({
  async list(): Promise<SecretInfo[]> {
    const rows = await trx
      .selectFrom('tenant_secrets')
      .select(['id', 'name', 'created_at', 'updated_at', 'version'])
      .where('tenant_id', '=', tenantId)
      .orderBy('name')
      .execute();
    return rows.map(infoOf);
  },

  /** Creates or replaces the named secret; the row id is fixed first because it is sealed into the value. */
  async put(keyring: Keyring, name: string, value: string, now: Date): Promise<SecretInfo> {
    const at = now.toISOString();
    const existing = await trx
      .selectFrom('tenant_secrets')
      .select(['id', 'version', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    const id = existing ? String(existing.id) : newId();
    const sealed = await keyring.seal(trx, secretSealContext(tenantId, id), value);
    if (existing) {
      const version = Number(existing.version) + 1;
      await trx
        .updateTable('tenant_secrets')
        .set({ sealed_value: sealed, updated_at: at, version })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      return { id, name, createdAt: existing.created_at, updatedAt: at, version };
    }
    await trx
      .insertInto('tenant_secrets')
      .values({
        id,
        tenant_id: tenantId,
        name,
        sealed_value: sealed,
        created_at: at,
        updated_at: at,
        version: 1,
      })
      .execute();
    return { id, name, createdAt: at, updatedAt: at, version: 1 };
  },

  /** The secret in clear, or undefined when the tenant has none of that name. */
  async reveal(keyring: Keyring, name: string): Promise<string | undefined> {
    const row = await trx
      .selectFrom('tenant_secrets')
      .select(['id', 'sealed_value'])
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return undefined;
    return keyring.open(trx, secretSealContext(tenantId, String(row.id)), row.sealed_value);
  },

  async remove(name: string): Promise<boolean> {
    const result = await trx
      .deleteFrom('tenant_secrets')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },
});

export type SecretsRepo = ReturnType<typeof secretsRepo>;
