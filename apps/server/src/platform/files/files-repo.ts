import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { Keyring } from '../crypto/keyring';
import type { DB } from '../db/schema';
import {
  deleteFile,
  describeFiles,
  type NewFile,
  readFile,
  restoreFile,
  storeFile,
  transferFile,
} from './file-store';

/** The file store bound to one tenant, for `repos.forTenant(id)`: no call can name another tenant. */
export const filesRepo = (trx: Kysely<DB>, tenantId: string) => ({
  store: (keyring: Keyring, input: Omit<NewFile, 'tenantId'>, clock: Clock) =>
    storeFile(trx, keyring, { ...input, tenantId }, clock),
  read: (keyring: Keyring, id: string) => readFile(trx, keyring, tenantId, id),
  delete: (id: string, clock: Clock) => deleteFile(trx, tenantId, id, clock),
  restore: (id: string, clock: Clock) => restoreFile(trx, tenantId, id, clock),
  describe: (ids: readonly string[]) => describeFiles(trx, tenantId, ids),
  /** To another tenant, re-sealed with its key; only in the system scope (moving a device, DEV-7). */
  transferTo: (keyring: Keyring, id: string, toTenantId: string) =>
    transferFile(trx, keyring, tenantId, toTenantId, id),
});

export type FilesRepo = ReturnType<typeof filesRepo>;
