import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import { isUuid } from '../db/ids';
import type { DB, OrganizationLinkKeyRow } from '../db/schema';
import { DATA_KEY_BYTES, type KeyProvider } from './key-provider';
import { DEFAULT_KEY_CACHE_TTL_MS } from './keyring-service';

const REFERENCE_LABEL = 'thestorage.employee-reference.v1\0';
const MAX_IDENTITY_LENGTH = 1024;

export interface LinkKeysOptions {
  provider: KeyProvider;
  clock: Clock;
  cacheTtlMs?: number;
  maxCachedOrganizations?: number;
}

/**
 * Employee references (SEC-6): an inventory row names a person only by an HMAC of their directory
 * identity under the organization's link key. Destroying the key (SEC-12, with the organization's last
 * tenant) shreds the link: the wrapped key is erased and a later use creates a new version, so the
 * same identity then yields a different reference and the stored ones match nobody.
 */
export interface LinkKeys {
  employeeReference(db: Kysely<DB>, organizationId: string, directoryIdentity: string): Promise<string>;
  /** Returns how many key versions were destroyed (0 when the organization had none). */
  destroyOrganizationLinkKey(db: Kysely<DB>, organizationId: string): Promise<number>;
  forget(organizationId: string): void;
}

interface LiveLinkKey {
  version: number;
  key: Promise<Buffer>;
}

function organizationOf(organizationId: string): string {
  if (!isUuid(organizationId)) throw new Error('A link key needs an organization id (UUID)');
  return organizationId.toLowerCase();
}

async function liveLinkKeyRow(
  db: Kysely<DB>,
  organizationId: string,
): Promise<OrganizationLinkKeyRow | undefined> {
  return db
    .selectFrom('organization_link_keys')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('destroyed_at', 'is', null)
    .executeTakeFirst();
}

export function createLinkKeys(options: LinkKeysOptions): LinkKeys {
  const { provider, clock } = options;
  const cache = new LRUCache<string, LiveLinkKey>({
    max: options.maxCachedOrganizations ?? 10_000,
    ttl: options.cacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS,
    updateAgeOnGet: false,
    updateAgeOnHas: false,
    allowStale: false,
    ttlResolution: 0,
    perf: { now: () => clock.now().getTime() },
  });
  // As in the keyring: a key created in an uncommitted transaction is not shared until it commits.
  const createdIn = new WeakMap<Kysely<DB>, Map<string, LiveLinkKey>>();

  const fromRow = (row: OrganizationLinkKeyRow): LiveLinkKey => {
    const wrapped = row.wrapped_key;
    if (!wrapped) throw new Error('A live link key has no wrapped key');
    return { version: Number(row.version), key: provider.unwrapKey(row.master_key_id, Buffer.from(wrapped)) };
  };

  async function create(db: Kysely<DB>, organizationId: string): Promise<LiveLinkKey> {
    const latest = await db
      .selectFrom('organization_link_keys')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    const version = Number(latest?.version ?? 0) + 1;
    const masterKeyId = await provider.activeMasterKeyId();
    const key = randomBytes(DATA_KEY_BYTES);
    const wrappedKey = await provider.wrapKey(masterKeyId, key);
    const inserted = await db
      .insertInto('organization_link_keys')
      .values({
        organization_id: organizationId,
        version,
        wrapped_key: wrappedKey,
        master_key_id: masterKeyId,
        created_at: clock.now().toISOString(),
        destroyed_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('version')
      .executeTakeFirst();
    if (!inserted) {
      // Another node created the organization's key first: use that one.
      const winner = await liveLinkKeyRow(db, organizationId);
      if (!winner) throw new Error('The organization has no link key after a key race');
      return fromRow(winner);
    }
    const live = { version, key: Promise.resolve(key) };
    if (!db.isTransaction) {
      cache.set(organizationId, live);
      return live;
    }
    const own = createdIn.get(db) ?? new Map<string, LiveLinkKey>();
    own.set(organizationId, live);
    createdIn.set(db, own);
    return live;
  }

  async function linkKey(db: Kysely<DB>, organizationId: string): Promise<Buffer> {
    const known = createdIn.get(db)?.get(organizationId) ?? cache.get(organizationId);
    if (known) return known.key;
    const row = await liveLinkKeyRow(db, organizationId);
    if (!row) return (await create(db, organizationId)).key;
    const live = fromRow(row);
    cache.set(organizationId, live);
    live.key.catch(() => cache.delete(organizationId));
    return live.key;
  }

  return {
    async employeeReference(db, organizationId, directoryIdentity) {
      const id = organizationOf(organizationId);
      if (directoryIdentity.length === 0 || directoryIdentity.length > MAX_IDENTITY_LENGTH) {
        throw new Error(`A directory identity is 1 to ${MAX_IDENTITY_LENGTH} characters long`);
      }
      const key = await linkKey(db, id);
      return createHmac('sha256', key)
        .update(REFERENCE_LABEL)
        .update(directoryIdentity, 'utf8')
        .digest('hex');
    },
    async destroyOrganizationLinkKey(db, organizationId) {
      const id = organizationOf(organizationId);
      const destroyed = await db
        .updateTable('organization_link_keys')
        .set({ wrapped_key: null, destroyed_at: clock.now().toISOString() })
        .where('organization_id', '=', id)
        .where('destroyed_at', 'is', null)
        .executeTakeFirst();
      cache.delete(id);
      createdIn.get(db)?.delete(id);
      return Number(destroyed.numUpdatedRows);
    },
    forget(organizationId) {
      cache.delete(organizationId.toLowerCase());
    },
  };
}

/** A page of live link keys (all organizations) not yet wrapped by `masterKeyId`, for master-key rotation. */
export async function linkKeysWrappedByOthers(
  db: Kysely<DB>,
  masterKeyId: string,
  after: { organizationId: string; version: number } | undefined,
  limit: number,
): Promise<{ organizationId: string; version: number; wrappedKey: Buffer; masterKeyId: string }[]> {
  let query = db
    .selectFrom('organization_link_keys')
    .selectAll()
    .where('master_key_id', '<>', masterKeyId)
    .where('wrapped_key', 'is not', null);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('organization_id', '>', after.organizationId),
        eb.and([eb('organization_id', '=', after.organizationId), eb('version', '>', after.version)]),
      ]),
    );
  }
  const rows = await query.orderBy('organization_id').orderBy('version').limit(limit).execute();
  return rows.map((r) => ({
    organizationId: String(r.organization_id),
    version: Number(r.version),
    wrappedKey: Buffer.from(r.wrapped_key as Buffer),
    masterKeyId: r.master_key_id,
  }));
}

/** Replaces a link key's wrapping, only if nobody re-wrapped or destroyed it meanwhile. */
export async function rewrapLinkKey(
  db: Kysely<DB>,
  key: { organizationId: string; version: number; fromMasterKeyId: string },
  wrapping: { wrappedKey: Buffer; masterKeyId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('organization_link_keys')
    .set({ wrapped_key: wrapping.wrappedKey, master_key_id: wrapping.masterKeyId })
    .where('organization_id', '=', key.organizationId)
    .where('version', '=', key.version)
    .where('master_key_id', '=', key.fromMasterKeyId)
    .where('destroyed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
