import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@thestorage/contracts';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import type { DB } from '../db/schema';
import { withTenant } from '../db/tenant-scope';
import { AppError } from '../http/errors';
import { enqueueJob } from '../jobs/queue';
import type { JobContext, JobHandler } from '../jobs/worker';
import { readKeyVersion, SealedValueError } from './envelope';
import { REWRAP_JOB, rewrapAllKeks } from './kek-rotation';
import { destroyKeks, kekLabel } from './keks';
import { DATA_KEY_BYTES, type KeyProvider } from './key-provider';
import type { TenantKeyring } from './keyring-service';
import { type SealedColumn, sealedColumns } from './sealed-columns';
import {
  deleteTenantKeys,
  demoteActiveKey,
  insertTenantKey,
  listTenantKeys,
  lockTenantKeys,
  retireKeyVersions,
} from './tenant-keys-repo';

export { REWRAP_JOB, rotateAllKeks, rotateOrganizationKek, rotateTenantKek } from './kek-rotation';
export const REENCRYPT_JOB = 'crypto.reencrypt';
const DEFAULT_BATCH_SIZE = 500;
/** Row ids of unreadable values kept in a job result (ids only, never values). */
const MAX_REPORTED_UNREADABLE = 20;

export interface CryptoDeps {
  handle: DatabaseHandle;
  provider: KeyProvider;
  keyring: TenantKeyring;
  clock: Clock;
  /**
   * How long after a rotation old versions must stay readable: other nodes may seal with the old active
   * version until their key cache expires. Defaults to the keyring's cache TTL.
   */
  settleMs?: number;
  batchSize?: number;
  /** The sealed columns to walk; defaults to every registered one. */
  columns?: () => SealedColumn[];
}

/** Progress for calls made outside the job runner. */
const noJobContext: JobContext = { reportProgress: async () => {}, signal: new AbortController().signal };

/**
 * A new data key version for the tenant: new values use it at once (on this node; other nodes after
 * their key cache expires), older versions become decrypt-only, and a re-encryption job is queued.
 */
export async function rotateTenantDataKey(
  deps: CryptoDeps,
  tenantId: string,
): Promise<{ version: number; jobId: string }> {
  const { handle, provider, keyring, clock } = deps;
  const rotated = await withTenant(handle, tenantId, async (trx) => {
    const id = tenantId.toLowerCase();
    await lockTenantKeys(trx, handle.dialect, id);
    const known = await listTenantKeys(trx, id);
    const version = Math.max(0, ...known.map((k) => k.version)) + 1;
    // Under the tenant's current KEK; the lock holds off a KEK rotation until this key is stored.
    const kekId =
      known.find((k) => k.state === 'active')?.kekId ??
      known.at(-1)?.kekId ??
      (await provider.createKek(kekLabel('tenant', id)));
    const wrappedKey = await provider.wrapKey(kekId, randomBytes(DATA_KEY_BYTES));
    await demoteActiveKey(trx, id);
    const createdAt = clock.now().toISOString();
    if (
      !(await insertTenantKey(trx, {
        tenantId: id,
        version,
        wrappedKey,
        kekId,
        state: 'active',
        createdAt,
      }))
    ) {
      throw new AppError(ErrorCode.Conflict, 'Another key rotation for this tenant is in progress');
    }
    const job = await enqueueJob(
      trx,
      { tenantId: id, kind: REENCRYPT_JOB, payload: { tenantId: id } },
      clock,
    );
    return { version, jobId: job.id };
  });
  keyring.forget(tenantId);
  return rotated;
}

interface WalkTally {
  total: number;
  done: number;
  reencrypted: number;
  /** Rows changed by someone else between read and write: looked at again by a later run. */
  changedMeanwhile: number;
  unreadable: { table: string; column: string; rowId: string; code: string }[];
  unreadableCount: number;
}

// biome-ignore lint/suspicious/noExplicitAny: sealed columns live in tables this module does not know
const untyped = (db: Kysely<DB>) => db as unknown as Kysely<any>;

async function countValues(db: Kysely<DB>, tenantId: string, col: SealedColumn): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`
    select count(*) as n from ${sql.table(col.table)}
     where tenant_id = ${tenantId} and ${sql.ref(col.column)} is not null`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Re-seals one batch of a column; returns the last id seen and how many rows were read. */
async function reencryptBatch(
  deps: CryptoDeps,
  trx: Kysely<DB>,
  tenantId: string,
  activeVersion: number,
  col: SealedColumn,
  after: string | undefined,
  tally: WalkTally,
): Promise<{ last: string | undefined; read: number }> {
  const idRef = sql.ref(col.idColumn);
  const valueRef = sql.ref(col.column);
  const { rows } = await sql<{ id: string; value: string | Buffer }>`
    select ${idRef} as id, ${valueRef} as value from ${sql.table(col.table)}
     where tenant_id = ${tenantId} and ${valueRef} is not null
       ${after === undefined ? sql`` : sql`and ${idRef} > ${after}`}
     order by ${idRef} limit ${deps.batchSize ?? DEFAULT_BATCH_SIZE}`.execute(trx);
  for (const row of rows) {
    const rowId = String(row.id);
    const ctx = { tenantId, table: col.table, column: col.column, rowId };
    try {
      const value = col.kind === 'bytes' ? Buffer.from(row.value as Buffer) : String(row.value);
      if (readKeyVersion(value) >= activeVersion) continue;
      const resealed =
        typeof value === 'string'
          ? await deps.keyring.seal(trx, ctx, await deps.keyring.open(trx, ctx, value))
          : await deps.keyring.sealBytes(trx, ctx, await deps.keyring.openBytes(trx, ctx, value));
      if (readKeyVersion(resealed) !== activeVersion) {
        tally.changedMeanwhile += 1;
        continue;
      }
      // Compare-and-set: a user's write since the read wins, and is looked at by a later run.
      const result = await untyped(trx)
        .updateTable(col.table)
        .set({ [col.column]: resealed })
        .where('tenant_id', '=', tenantId)
        .where(col.idColumn, '=', rowId)
        .where(col.column, '=', value)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) tally.reencrypted += 1;
      else tally.changedMeanwhile += 1;
    } catch (err) {
      if (!(err instanceof SealedValueError)) throw err;
      tally.unreadableCount += 1;
      if (tally.unreadable.length < MAX_REPORTED_UNREADABLE) {
        tally.unreadable.push({ table: col.table, column: col.column, rowId, code: err.code });
      }
    }
  }
  return { last: rows.length > 0 ? String(rows[rows.length - 1]?.id) : after, read: rows.length };
}

export const reencryptPayloadSchema = z.object({ tenantId: z.uuid() });

export interface ReencryptResult {
  activeVersion: number | null;
  reencrypted: number;
  unreadableCount: number;
  unreadable: WalkTally['unreadable'];
  retiredVersions: number[];
  /** Set when old versions stay decrypt-only for now; a follow-up job finishes the work then. */
  followUpAt: string | null;
}

/**
 * The re-encryption job: walks every sealed column of the tenant in keyset-paged batches (one tenant
 * transaction each), re-seals values older than the active version, then retires the old versions.
 * A re-run skips values already re-sealed, so a crash only costs the batch in hand.
 */
export async function reencryptTenant(
  deps: CryptoDeps,
  payload: unknown,
  ctx: JobContext = noJobContext,
): Promise<ReencryptResult> {
  const { handle, keyring, clock } = deps;
  const tenantId = reencryptPayloadSchema.parse(payload).tenantId.toLowerCase();
  // This node may still hold the previous active version from before the rotation.
  keyring.forget(tenantId);
  const keys = await withTenant(handle, tenantId, (trx) => listTenantKeys(trx, tenantId));
  const active = keys.find((k) => k.state === 'active');
  const empty = { reencrypted: 0, unreadableCount: 0, unreadable: [], retiredVersions: [], followUpAt: null };
  if (!active) return { activeVersion: null, ...empty };

  const columns = (deps.columns ?? sealedColumns)();
  const tally: WalkTally = {
    total: 0,
    done: 0,
    reencrypted: 0,
    changedMeanwhile: 0,
    unreadable: [],
    unreadableCount: 0,
  };
  tally.total = await withTenant(handle, tenantId, async (trx) => {
    let sum = 0;
    for (const col of columns) sum += await countValues(trx, tenantId, col);
    return sum;
  });
  await ctx.reportProgress({ done: 0, total: tally.total, message: 'Re-encrypting sealed values' });

  for (const col of columns) {
    let after: string | undefined;
    for (;;) {
      ctx.signal.throwIfAborted();
      const batch = await withTenant(handle, tenantId, (trx) =>
        reencryptBatch(deps, trx, tenantId, active.version, col, after, tally),
      );
      tally.done += batch.read;
      after = batch.last;
      await ctx.reportProgress({
        done: tally.done,
        total: Math.max(tally.total, tally.done),
        message: `Re-encrypting ${col.table}.${col.column}`,
      });
      if (batch.read < (deps.batchSize ?? DEFAULT_BATCH_SIZE)) break;
    }
  }

  const result = {
    activeVersion: active.version,
    reencrypted: tally.reencrypted,
    unreadableCount: tally.unreadableCount,
    unreadable: tally.unreadable,
  };
  const olderVersions = keys.filter((k) => k.state === 'decrypt_only' && k.version < active.version);
  if (olderVersions.length === 0 && tally.changedMeanwhile === 0) {
    return { ...result, retiredVersions: [], followUpAt: null };
  }
  const settleUntil = new Date(Date.parse(active.createdAt) + (deps.settleMs ?? keyring.cacheTtlMs));
  const now = clock.now();
  if (tally.changedMeanwhile > 0 || now < settleUntil) {
    // Another node may still seal with an old version until its cache expires: walk again after that.
    const runAfter = new Date(Math.max(settleUntil.getTime(), now.getTime() + 1000));
    await withTenant(handle, tenantId, (trx) =>
      enqueueJob(trx, { tenantId, kind: REENCRYPT_JOB, payload: { tenantId }, runAfter }, clock),
    );
    return { ...result, retiredVersions: [], followUpAt: runAfter.toISOString() };
  }
  const retiredVersions = await withTenant(handle, tenantId, (trx) =>
    retireKeyVersions(trx, tenantId, active.version, now),
  );
  keyring.forget(tenantId);
  return { ...result, retiredVersions, followUpAt: null };
}

/**
 * Crypto-shredding (SEC-12): every version of the tenant's data key is deleted in the caller's unit of
 * work and the tenant's KEKs are destroyed in the key provider, so each of its sealed values fails with
 * 'key_destroyed' (on other nodes once their cache expires) — also from a backup of the database.
 * A provider failure throws, so the caller's transaction keeps the rows for a retry.
 */
export async function destroyTenantKeys(
  db: Kysely<DB>,
  keyring: TenantKeyring,
  tenantId: string,
): Promise<number> {
  const id = tenantId.toLowerCase();
  const keks = (await listTenantKeys(db, id)).map((k) => k.kekId);
  const destroyed = await deleteTenantKeys(db, id);
  keyring.forget(id);
  await destroyKeks(keyring.provider, 'tenant', id, { known: keks });
  return destroyed;
}

/** The crypto job handlers for the job runner (apps/server/src/platform/jobs/worker.ts). */
export function cryptoJobHandlers(deps: CryptoDeps): Record<string, JobHandler> {
  return {
    [REENCRYPT_JOB]: (job, ctx) => reencryptTenant(deps, job.payload, ctx),
    [REWRAP_JOB]: (_job, ctx) => rewrapAllKeks(deps, ctx),
  };
}
