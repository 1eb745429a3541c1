import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../db/connect';
import type { DB } from '../db/schema';
import { withSystem, withTenant } from '../db/tenant-scope';
import { enqueueJob } from '../jobs/queue';
import type { JobContext } from '../jobs/worker';
import { destroyKeks, highestKekVersion, type KekOwner, kekLabel } from './keks';
import { isUnknownKek, type KeyProvider } from './key-provider';
import { listLinkKeys, organizationsWithLinkKeys, rewrapLinkKey } from './link-keys';
import type { CryptoDeps } from './rotation';
import { listTenantKeys, lockTenantKeys, rewrapTenantKey, tenantsWithKeys } from './tenant-keys-repo';

export const REWRAP_JOB = 'crypto.rewrap';
const DEFAULT_BATCH_SIZE = 500;
const noJobContext: JobContext = { reportProgress: async () => {}, signal: new AbortController().signal };

export interface KekRotation {
  /** The new KEK, or null when the owner has no keys to wrap. */
  kekId: string | null;
  rewrapped: number;
  /** Keys whose KEK is already destroyed (say, rows restored from a backup): left as they are. */
  unreadable: number;
}

interface WrappedRow {
  version: number;
  wrappedKey: Buffer;
  kekId: string;
}

/** Re-wraps each row not yet under `kekId`; `update` is a compare-and-set on the old KEK id. */
async function rewrapRows(
  provider: KeyProvider,
  rows: WrappedRow[],
  kekId: string,
  update: (row: WrappedRow, wrappedKey: Buffer) => Promise<boolean>,
): Promise<{ rewrapped: number; unreadable: number }> {
  const tally = { rewrapped: 0, unreadable: 0 };
  for (const row of rows) {
    if (row.kekId === kekId) continue;
    let dataKey: Buffer;
    try {
      dataKey = await provider.unwrapKey(row.kekId, row.wrappedKey);
    } catch (err) {
      if (!isUnknownKek(err)) throw err;
      tally.unreadable += 1;
      continue;
    }
    try {
      if (await update(row, await provider.wrapKey(kekId, dataKey))) tally.rewrapped += 1;
    } finally {
      dataKey.fill(0);
    }
  }
  return tally;
}

/**
 * One owner's KEK rotation: a new KEK `<owner>:<id>:v<N+1>`, every key re-wrapped under it in one
 * transaction holding the rows, then the older KEKs destroyed. Data keys do not change, so no value
 * is re-encrypted. Run again after a crash, it rotates once more and destroys what was left behind.
 */
async function rotateKek(
  provider: KeyProvider,
  owner: KekOwner,
  ownerId: string,
  read: () => Promise<WrappedRow[]>,
  rewrapUnderLock: (kekId: string) => Promise<{ rewrapped: number; unreadable: number; kekIds: string[] }>,
): Promise<KekRotation> {
  const before = await read();
  if (before.length === 0) return { kekId: null, rewrapped: 0, unreadable: 0 };
  const version =
    highestKekVersion(
      before.map((r) => r.kekId),
      owner,
      ownerId,
    ) + 1;
  const kekId = await provider.createKek(kekLabel(owner, ownerId, version));
  const { kekIds, ...tally } = await rewrapUnderLock(kekId);
  // Only once every row is under the new KEK: a backup's copies under the older ones stop opening.
  await destroyKeks(provider, owner, ownerId, { known: kekIds, belowVersion: version });
  return { kekId, ...tally };
}

/** A new KEK for the tenant; its data keys are re-wrapped under it and its older KEKs destroyed. */
export async function rotateTenantKek(deps: CryptoDeps, tenantId: string): Promise<KekRotation> {
  const { handle, provider, keyring } = deps;
  const id = tenantId.toLowerCase();
  const rotation = await rotateKek(
    provider,
    'tenant',
    id,
    () => withTenant(handle, id, (trx) => listTenantKeys(trx, id)),
    (kekId) =>
      withTenant(handle, id, async (trx) => {
        await lockTenantKeys(trx, handle.dialect, id);
        const keys = await listTenantKeys(trx, id);
        const tally = await rewrapRows(provider, keys, kekId, (key, wrappedKey) =>
          rewrapTenantKey(
            trx,
            { tenantId: id, version: key.version, fromKekId: key.kekId },
            { wrappedKey, kekId },
          ),
        );
        return { ...tally, kekIds: keys.map((k) => k.kekId) };
      }),
  );
  keyring.forget(id);
  return rotation;
}

async function lockLinkKeys(db: Kysely<DB>, handle: DatabaseHandle, organizationId: string): Promise<void> {
  if (handle.dialect !== 'postgres') return;
  await db
    .selectFrom('organization_link_keys')
    .select('version')
    .where('organization_id', '=', organizationId)
    .forUpdate()
    .execute();
}

/** A new KEK for the organization; its live link key is re-wrapped under it and older KEKs destroyed. */
export async function rotateOrganizationKek(deps: CryptoDeps, organizationId: string): Promise<KekRotation> {
  const { handle, provider } = deps;
  const id = organizationId.toLowerCase();
  const live = (rows: Awaited<ReturnType<typeof listLinkKeys>>): WrappedRow[] =>
    rows.flatMap((r) =>
      r.wrappedKey ? [{ version: r.version, wrappedKey: r.wrappedKey, kekId: r.kekId }] : [],
    );
  return rotateKek(
    provider,
    'organization',
    id,
    () => withSystem(handle, async (trx) => live(await listLinkKeys(trx, id))),
    (kekId) =>
      withSystem(handle, async (trx) => {
        await lockLinkKeys(trx, handle, id);
        const rows = await listLinkKeys(trx, id);
        const tally = await rewrapRows(provider, live(rows), kekId, (key, wrappedKey) =>
          rewrapLinkKey(
            trx,
            { organizationId: id, version: key.version, fromKekId: key.kekId },
            { wrappedKey, kekId },
          ),
        );
        return { ...tally, kekIds: rows.map((r) => r.kekId) };
      }),
  );
}

/** Queues the 'crypto.rewrap' job: every tenant's and organization's KEK is rotated. */
export async function rotateAllKeks(deps: CryptoDeps): Promise<{ jobId: string }> {
  const job = await withSystem(deps.handle, (trx) =>
    enqueueJob(trx, { tenantId: null, kind: REWRAP_JOB, payload: {} }, deps.clock),
  );
  return { jobId: job.id };
}

export interface RewrapResult {
  tenants: number;
  organizations: number;
  tenantKeys: number;
  linkKeys: number;
  unreadable: number;
}

/** The 'crypto.rewrap' job: rotates the KEK of every tenant with data keys, then of every organization. */
export async function rewrapAllKeks(deps: CryptoDeps, ctx: JobContext = noJobContext): Promise<RewrapResult> {
  const limit = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  const done: RewrapResult = { tenants: 0, organizations: 0, tenantKeys: 0, linkKeys: 0, unreadable: 0 };
  const walk = async (
    page: (after: string | undefined) => Promise<string[]>,
    rotate: (id: string) => Promise<KekRotation>,
    count: (rotation: KekRotation) => void,
    message: string,
  ) => {
    let after: string | undefined;
    for (;;) {
      ctx.signal.throwIfAborted();
      const ids = await page(after);
      for (const id of ids) {
        ctx.signal.throwIfAborted();
        const rotation = await rotate(id);
        count(rotation);
        done.unreadable += rotation.unreadable;
      }
      after = ids.at(-1) ?? after;
      await ctx.reportProgress({ done: done.tenants + done.organizations, message });
      if (ids.length < limit) break;
    }
  };
  await walk(
    (after) => withSystem(deps.handle, (trx) => tenantsWithKeys(trx, after, limit)),
    (id) => rotateTenantKek(deps, id),
    (rotation) => {
      done.tenants += 1;
      done.tenantKeys += rotation.rewrapped;
    },
    'Rotating tenant KEKs',
  );
  await walk(
    (after) => withSystem(deps.handle, (trx) => organizationsWithLinkKeys(trx, after, limit)),
    (id) => rotateOrganizationKek(deps, id),
    (rotation) => {
      done.organizations += 1;
      done.linkKeys += rotation.rewrapped;
    },
    'Rotating organization KEKs',
  );
  return done;
}
