import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { type Clock, DAY_MS } from '../clock';
import type { Keyring, SealContext } from '../crypto/keyring';
import { registerSealedColumn } from '../crypto/sealed-columns';
import { isUuid, newId } from '../db/ids';
import type { DB, FilePurpose } from '../db/schema';
import { notFound } from '../http/errors';
import { checkContent, checkContentType, checkDeclaredLength, readWithinLimit } from './file-rules';

/** A deleted file stays restorable this long, then the purge job removes it (DEV-1). */
export const FILE_RETENTION_MS = 14 * DAY_MS;

export interface NewFile {
  tenantId: string;
  purpose: FilePurpose;
  contentType: string;
  body: AsyncIterable<Buffer | Uint8Array | string> | Readable;
  /** The request's Content-Length, when it sent one: over the limit is refused before reading. */
  declaredLength?: number;
  /** Subject reference of the uploader. */
  createdBy?: string | null;
}

export interface StoredFile {
  id: string;
  purpose: FilePurpose;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface FileContent {
  purpose: FilePurpose;
  contentType: string;
  size: number;
  bytes: Buffer;
}

// Key rotation re-seals every file's content with the tenant's newest data key.
registerSealedColumn({ table: 'files', column: 'content', idColumn: 'id', kind: 'bytes' });

/** Where a file's bytes are sealed: bound into the ciphertext, so content moved to another row won't open. */
export const fileSealContext = (tenantId: string, id: string): SealContext => ({
  tenantId,
  table: 'files',
  column: 'content',
  rowId: id,
});

/**
 * Checks type and size (before and while reading the body), checks the magic bytes, seals the bytes
 * with the tenant's data key (SEC-9) and stores them in the caller's transaction.
 */
export async function storeFile(
  trx: Kysely<DB>,
  keyring: Keyring,
  input: NewFile,
  clock: Clock,
): Promise<StoredFile> {
  const contentType = checkContentType(input.purpose, input.contentType);
  checkDeclaredLength(input.purpose, input.declaredLength);
  const bytes = await readWithinLimit(input.purpose, input.body);
  checkContent(contentType, bytes);

  const id = newId();
  const sealed = await keyring.sealBytes(trx, fileSealContext(input.tenantId, id), bytes);
  const createdAt = clock.now().toISOString();
  await trx
    .insertInto('files')
    .values({
      id,
      tenant_id: input.tenantId,
      purpose: input.purpose,
      content_type: contentType,
      size_bytes: bytes.length,
      content: sealed,
      created_at: createdAt,
      created_by: input.createdBy ?? null,
      deleted_at: null,
      purge_after: null,
    })
    .execute();
  return { id, purpose: input.purpose, contentType, size: bytes.length, createdAt };
}

/** The plaintext of one of the tenant's files; deleted or another tenant's files are not found. */
export async function readFile(
  trx: Kysely<DB>,
  keyring: Keyring,
  tenantId: string,
  id: string,
): Promise<FileContent> {
  const row = isUuid(id)
    ? await trx
        .selectFrom('files')
        .select(['purpose', 'content_type', 'size_bytes', 'content'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('File');
  const bytes = await keyring.openBytes(trx, fileSealContext(tenantId, id), Buffer.from(row.content));
  return { purpose: row.purpose, contentType: row.content_type, size: row.size_bytes, bytes };
}

/** Soft delete: unreadable at once, purged after FILE_RETENTION_MS unless restored before. */
export async function deleteFile(
  trx: Kysely<DB>,
  tenantId: string,
  id: string,
  clock: Clock,
): Promise<{ purgeAfter: string }> {
  const now = clock.now();
  const purgeAfter = new Date(now.getTime() + FILE_RETENTION_MS).toISOString();
  const result = isUuid(id)
    ? await trx
        .updateTable('files')
        .set((eb) => ({
          deleted_at: now.toISOString(),
          purge_after: purgeAfter,
          version: eb('version', '+', 1),
        }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  if (Number(result?.numUpdatedRows ?? 0) !== 1) throw notFound('File');
  return { purgeAfter };
}

/** Undoes a delete while the file is still kept. */
export async function restoreFile(
  trx: Kysely<DB>,
  tenantId: string,
  id: string,
  clock: Clock,
): Promise<void> {
  const result = isUuid(id)
    ? await trx
        .updateTable('files')
        .set((eb) => ({ deleted_at: null, purge_after: null, version: eb('version', '+', 1) }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('deleted_at', 'is not', null)
        .where('purge_after', '>', clock.now().toISOString())
        .executeTakeFirst()
    : undefined;
  if (Number(result?.numUpdatedRows ?? 0) !== 1) throw notFound('File');
}

/** What is known about a file without opening it; deleted files included (restorable until `purgeAfter`). */
export interface FileDescription {
  id: string;
  purpose: FilePurpose;
  contentType: string;
  size: number;
  createdAt: string;
  deletedAt: string | null;
  purgeAfter: string | null;
}

/** The tenant's files among these ids, described without reading their content; one query. */
export async function describeFiles(
  trx: Kysely<DB>,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, FileDescription>> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (wanted.length === 0) return new Map();
  const rows = await trx
    .selectFrom('files')
    .select(['id', 'purpose', 'content_type', 'size_bytes', 'created_at', 'deleted_at', 'purge_after'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', wanted)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        purpose: row.purpose,
        contentType: row.content_type,
        size: Number(row.size_bytes),
        createdAt: row.created_at,
        deletedAt: row.deleted_at,
        purgeAfter: row.purge_after,
      },
    ]),
  );
}

/**
 * Hands a file (deleted or not) to another tenant with the same id: the content is opened with the old
 * tenant's key and sealed again with the new one's (DEV-7 moves a device with its files). Needs a
 * transaction that sees both tenants (the system scope).
 */
export async function transferFile(
  trx: Kysely<DB>,
  keyring: Keyring,
  fromTenantId: string,
  toTenantId: string,
  id: string,
): Promise<void> {
  const row = isUuid(id)
    ? await trx
        .selectFrom('files')
        .select(['content'])
        .where('tenant_id', '=', fromTenantId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('File');
  const bytes = await keyring.openBytes(trx, fileSealContext(fromTenantId, id), Buffer.from(row.content));
  const sealed = await keyring.sealBytes(trx, fileSealContext(toTenantId, id), bytes);
  await trx
    .updateTable('files')
    .set((eb) => ({ tenant_id: toTenantId, content: sealed, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', fromTenantId)
    .where('id', '=', id)
    .execute();
}
