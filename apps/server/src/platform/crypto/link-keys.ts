import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import { isUuid } from '../db/ids';
import type { DB, OrganizationLinkKeyRow } from '../db/schema';
import { destroyKeks, highestKekVersion, kekLabel } from './keks';
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
 * identity under the organization's link key, wrapped by the organization's KEK. Destroying the key
 * (SEC-12, with the organization's last tenant) shreds the link: the wrapped key is erased and the KEK
 * destroyed in the provider (so a backup's copy opens nothing), and a later use creates a new version
 * under a new KEK, so the same identity then yields a different reference and the stored ones match nobody.
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
    const earlier = await db
      .selectFrom('organization_link_keys')
      .select(['version', 'master_key_id'])
      .where('organization_id', '=', organizationId)
      .execute();
    const version = Math.max(0, ...earlier.map((r) => Number(r.version))) + 1;
    // A new KEK label after a destruction: a destroyed KEK's name may stay taken (Key Vault soft delete).
    const kekVersion =
      earlier.length === 0
        ? 1
        : highestKekVersion(
            earlier.map((r) => r.master_key_id),
            'organization',
            organizationId,
          ) + 1;
    const kekId = await provider.createKek(kekLabel('organization', organizationId, kekVersion));
    const key = randomBytes(DATA_KEY_BYTES);
    const wrappedKey = await provider.wrapKey(kekId, key);
    const inserted = await db
      .insertInto('organization_link_keys')
      .values({
        organization_id: organizationId,
        version,
        wrapped_key: wrappedKey,
        master_key_id: kekId,
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
      const kekIds = await db
        .selectFrom('organization_link_keys')
        .select('master_key_id')
        .where('organization_id', '=', id)
        .execute();
      const destroyed = await db
        .updateTable('organization_link_keys')
        .set({ wrapped_key: null, destroyed_at: clock.now().toISOString() })
        .where('organization_id', '=', id)
        .where('destroyed_at', 'is', null)
        .executeTakeFirst();
      cache.delete(id);
      createdIn.get(db)?.delete(id);
      // After the rows, inside the caller's unit of work: a provider failure rolls the erasure back.
      await destroyKeks(provider, 'organization', id, { known: kekIds.map((r) => r.master_key_id) });
      return Number(destroyed.numUpdatedRows);
    },
    forget(organizationId) {
      cache.delete(organizationId.toLowerCase());
    },
  };
}

/** A page of organizations with a live link key (all organizations), after an id cursor. */
export async function organizationsWithLinkKeys(
  db: Kysely<DB>,
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  let query = db
    .selectFrom('organization_link_keys')
    .select('organization_id')
    .distinct()
    .where('wrapped_key', 'is not', null);
  if (after) query = query.where('organization_id', '>', after);
  const rows = await query.orderBy('organization_id').limit(limit).execute();
  return rows.map((r) => String(r.organization_id));
}

/** The organization's link key rows, live and destroyed, oldest first. */
export async function listLinkKeys(
  db: Kysely<DB>,
  organizationId: string,
): Promise<{ version: number; wrappedKey: Buffer | null; kekId: string }[]> {
  const rows = await db
    .selectFrom('organization_link_keys')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    version: Number(r.version),
    wrappedKey: r.wrapped_key ? Buffer.from(r.wrapped_key) : null,
    kekId: r.master_key_id,
  }));
}

/** Replaces a link key's wrapping, only if nobody re-wrapped or destroyed it meanwhile. */
export async function rewrapLinkKey(
  db: Kysely<DB>,
  key: { organizationId: string; version: number; fromKekId: string },
  wrapping: { wrappedKey: Buffer; kekId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('organization_link_keys')
    .set({ wrapped_key: wrapping.wrappedKey, master_key_id: wrapping.kekId })
    .where('organization_id', '=', key.organizationId)
    .where('version', '=', key.version)
    .where('master_key_id', '=', key.fromKekId)
    .where('destroyed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
