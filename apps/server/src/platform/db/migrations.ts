// The only file that imports kysely's migration API (kysely 0.29 moves it to 'kysely/migration').
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { DatabaseHandle } from './connect';
import { type ColumnTypes, columnTypes } from './dialect-types';
import { foundation } from './migrations/0001-foundation';
import { encryptionKeys } from './migrations/0002-encryption-keys';
import { auditOutbox } from './migrations/0003-audit-outbox';
import { files } from './migrations/0004-files';
import { sessions } from './migrations/0005-sessions';
import { identity } from './migrations/0006-identity';
import { directoryConnections } from './migrations/0007-directory-connections';
import { scimTokens } from './migrations/0008-scim-tokens';
import { userEmployeeIdentity } from './migrations/0009-user-employee-identity';
import { inventory } from './migrations/0010-inventory';
import { deviceWarrantyIndex } from './migrations/0011-device-warranty-index';
import { deviceSearchIndex } from './migrations/0012-device-search-index';
import { rlsInitPlan } from './migrations/0013-rls-initplan';
import { exchangeRates } from './migrations/0014-exchange-rates';
import { moneySettings } from './migrations/0015-money-settings';
import { deviceFiles } from './migrations/0016-device-files';
import { deviceImports } from './migrations/0017-device-imports';
import { deviceSearchBulk } from './migrations/0018-device-search-bulk';
import { deviceLeanIndexes } from './migrations/0019-device-lean-indexes';
import { deviceSearchRanges } from './migrations/0020-device-search-ranges';
import { devicesVersion } from './migrations/0021-devices-version';

export { checkAppRole } from './rls';

/** Every migration, in order. Names are permanent once released; changes are expand/contract only. */
const migrationSet = (t: ColumnTypes): Record<string, Migration> => ({
  '0001-foundation': foundation(t),
  '0002-encryption-keys': encryptionKeys(t),
  '0003-audit-outbox': auditOutbox(t),
  '0004-files': files(t),
  '0005-sessions': sessions(t),
  '0006-identity': identity(t),
  '0007-directory-connections': directoryConnections(t),
  '0008-scim-tokens': scimTokens(t),
  '0009-user-employee-identity': userEmployeeIdentity(t),
  '0010-inventory': inventory(t),
  '0011-device-warranty-index': deviceWarrantyIndex(t),
  '0012-device-search-index': deviceSearchIndex(t),
  '0013-rls-initplan': rlsInitPlan(t),
  '0014-exchange-rates': exchangeRates(t),
  '0015-money-settings': moneySettings(t),
  '0016-device-files': deviceFiles(t),
  '0017-device-imports': deviceImports(t),
  '0018-device-search-bulk': deviceSearchBulk(t),
  '0019-device-lean-indexes': deviceLeanIndexes(t),
  '0020-device-search-ranges': deviceSearchRanges(t),
  '0021-devices-version': devicesVersion(t),
});

const provider = (t: ColumnTypes): MigrationProvider => ({
  getMigrations: async () => migrationSet(t),
});

/** Tables the app role may touch: everything in public except kysely's own bookkeeping. */
async function grantAppRole(handle: DatabaseHandle, appRole: string): Promise<void> {
  const role = sql.id(appRole);
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
     where schemaname = 'public' and tablename not like 'kysely_migration%'`.execute(handle.db);
  await sql`grant usage on schema public to ${role}`.execute(handle.db);
  for (const { name } of rows) {
    await sql`grant select, insert, update, delete on ${sql.table(name)} to ${role}`.execute(handle.db);
  }
}

/** Brings the schema to the named migration (tests of a migration's data changes start from the one before). */
export async function migrateTo(handle: DatabaseHandle, name: string): Promise<void> {
  const migrator = new Migrator({ db: handle.db, provider: provider(columnTypes(handle.dialect)) });
  const { error } = await migrator.migrateTo(name);
  if (error) throw new Error(`Database migration to ${name} failed`, { cause: error });
}

/**
 * Brings the schema to the latest version (safe to run from several nodes: kysely takes a lock).
 * On PostgreSQL this runs as the owner; `appRole` gets data rights on every table but owns none.
 */
export async function migrateToLatest(
  handle: DatabaseHandle,
  opts: { appRole?: string } = {},
): Promise<void> {
  const migrator = new Migrator({ db: handle.db, provider: provider(columnTypes(handle.dialect)) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(failed ? `Database migration ${failed} failed` : 'Database migration failed', {
      cause: error,
    });
  }
  if (handle.dialect === 'postgres' && opts.appRole) await grantAppRole(handle, opts.appRole);
}
