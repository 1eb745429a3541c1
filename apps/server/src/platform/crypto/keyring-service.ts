import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import { isUuid } from '../db/ids';
import type { DB, TenantKeyState } from '../db/schema';
import { openBinary, openText, readKeyVersion, SealedValueError, sealBinary, sealText } from './envelope';
import { kekLabel } from './keks';
import { DATA_KEY_BYTES, isUnknownKek, type KeyProvider } from './key-provider';
import type { Keyring, SealContext } from './keyring';
import { insertTenantKey, listTenantKeys, type StoredTenantKey } from './tenant-keys-repo';

export const DEFAULT_KEY_CACHE_TTL_MS = 5 * 60 * 1000;

export interface KeyringOptions {
  provider: KeyProvider;
  clock: Clock;
  /** How long unwrapped keys stay in memory; also how long another node may keep using an old version. */
  cacheTtlMs?: number;
  /** Tenants whose keys are kept unwrapped at once (least recently used go first). */
  maxCachedTenants?: number;
}

/** The Keyring plus what key management (rotation, crypto-shredding) needs from it. */
export interface TenantKeyring extends Keyring {
  readonly cacheTtlMs: number;
  /** Where the tenants' KEKs live (crypto-shredding destroys them there). */
  readonly provider: KeyProvider;
  /** Drops a tenant's keys from this process's memory (after rotation, retirement or destruction). */
  forget(tenantId: string): void;
  forgetAll(): void;
}

interface KeyVersion {
  state: TenantKeyState;
  wrappedKey: Buffer;
  kekId: string;
}

/** What this process knows about one tenant's keys: every version's row, unwrapped on first use. */
interface TenantKeySet {
  active: number | undefined;
  versions: Map<number, KeyVersion>;
  unwrapped: Map<number, Promise<Buffer>>;
}

const keySetOf = (rows: StoredTenantKey[]): TenantKeySet => ({
  active: rows.find((r) => r.state === 'active')?.version,
  versions: new Map(
    rows.map((r) => [r.version, { state: r.state, wrappedKey: r.wrappedKey, kekId: r.kekId }]),
  ),
  unwrapped: new Map(),
});

function tenantOf(ctx: SealContext): string {
  if (!isUuid(ctx.tenantId)) throw new Error('A seal context needs a tenant id (UUID)');
  return ctx.tenantId.toLowerCase();
}

/**
 * Envelope encryption with per-tenant data keys (SEC-9), wrapped by the tenant's own KEK in the key
 * provider (SEC-12: destroying it shreds every copy). A tenant's first key (and KEK) is created on its first
 * seal; unwrapped keys stay in memory for `cacheTtlMs` at most, so with a warm cache no query runs.
 */
export function createKeyring(options: KeyringOptions): TenantKeyring {
  const { provider, clock } = options;
  const cacheTtlMs = options.cacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS;
  const cache = new LRUCache<string, TenantKeySet>({
    max: options.maxCachedTenants ?? 10_000,
    ttl: cacheTtlMs,
    // Age counts from loading, never from use, on the injected clock.
    updateAgeOnGet: false,
    updateAgeOnHas: false,
    allowStale: false,
    ttlResolution: 0,
    perf: { now: () => clock.now().getTime() },
  });
  // A key created inside a transaction is only known to that transaction until it commits: were it
  // cached and the transaction rolled back, values sealed later would use a key that was never stored.
  const createdIn = new WeakMap<Kysely<DB>, Map<string, TenantKeySet>>();

  async function load(db: Kysely<DB>, tenantId: string, fresh = false): Promise<TenantKeySet> {
    const own = createdIn.get(db)?.get(tenantId);
    if (own && !fresh) return own;
    const cached = fresh ? undefined : cache.get(tenantId);
    if (cached) return cached;
    const set = keySetOf(await listTenantKeys(db, tenantId));
    if (set.versions.size > 0 && !own) cache.set(tenantId, set);
    return set;
  }

  async function createFirstKey(
    db: Kysely<DB>,
    tenantId: string,
    known: TenantKeySet,
  ): Promise<TenantKeySet> {
    const version = Math.max(0, ...known.versions.keys()) + 1;
    // The tenant's KEK: the one its older versions use, else the first (two nodes get the same one).
    const kekId =
      known.versions.get(version - 1)?.kekId ?? (await provider.createKek(kekLabel('tenant', tenantId)));
    const dataKey = randomBytes(DATA_KEY_BYTES);
    const wrappedKey = await provider.wrapKey(kekId, dataKey);
    const createdAt = clock.now().toISOString();
    const inserted = await insertTenantKey(db, {
      tenantId,
      version,
      wrappedKey,
      kekId,
      state: 'active',
      createdAt,
    });
    cache.delete(tenantId);
    if (!inserted) {
      // Another node created it first: its key is the tenant's key.
      const winner = await load(db, tenantId, true);
      if (winner.active === undefined) throw new Error('The tenant has no active data key after a key race');
      return winner;
    }
    const set = keySetOf([]);
    for (const [v, entry] of known.versions) set.versions.set(v, entry);
    set.versions.set(version, { state: 'active', wrappedKey, kekId });
    set.active = version;
    set.unwrapped.set(version, Promise.resolve(dataKey));
    if (!db.isTransaction) {
      cache.set(tenantId, set);
      return set;
    }
    const own = createdIn.get(db) ?? new Map<string, TenantKeySet>();
    own.set(tenantId, set);
    createdIn.set(db, own);
    return set;
  }

  function unwrap(set: TenantKeySet, version: number): Promise<Buffer> {
    const known = set.unwrapped.get(version);
    if (known) return known;
    const entry = set.versions.get(version);
    if (!entry) throw new SealedValueError('key_destroyed', { keyVersion: version });
    const unwrapping = provider.unwrapKey(entry.kekId, entry.wrappedKey).then((key) => {
      if (key.length !== DATA_KEY_BYTES) throw new Error('An unwrapped data key is not 32 bytes');
      return key;
    });
    set.unwrapped.set(version, unwrapping);
    unwrapping.catch(() => set.unwrapped.delete(version));
    return unwrapping;
  }

  /** Unwraps a version; a KEK the provider no longer has means destroyed, unless the rows moved on. */
  async function unwrapUsable(
    db: Kysely<DB>,
    tenantId: string,
    set: TenantKeySet,
    version: number,
  ): Promise<Buffer> {
    try {
      return await unwrap(set, version);
    } catch (err) {
      if (!isUnknownKek(err)) throw err;
      // Another node may have re-wrapped the key under a new KEK and destroyed the old one.
      const fresh = await load(db, tenantId, true);
      const entry = fresh.versions.get(version);
      if (entry && entry.kekId !== set.versions.get(version)?.kekId) {
        try {
          return await unwrap(fresh, version);
        } catch (again) {
          if (!isUnknownKek(again)) throw again;
        }
      }
      throw new SealedValueError('key_destroyed', { keyVersion: version, cause: err });
    }
  }

  async function activeKey(db: Kysely<DB>, ctx: SealContext): Promise<{ version: number; key: Buffer }> {
    const tenantId = tenantOf(ctx);
    let set = await load(db, tenantId);
    if (set.active === undefined) set = await createFirstKey(db, tenantId, set);
    const version = set.active as number;
    return { version, key: await unwrapUsable(db, tenantId, set, version) };
  }

  async function keyFor(db: Kysely<DB>, ctx: SealContext, version: number): Promise<Buffer> {
    const tenantId = tenantOf(ctx);
    let set = await load(db, tenantId);
    // A version this process has not seen yet may have been created by another node since.
    if (!set.versions.has(version)) set = await load(db, tenantId, true);
    const entry = set.versions.get(version);
    if (!entry) throw new SealedValueError('key_destroyed', { keyVersion: version });
    if (entry.state === 'retired') throw new SealedValueError('key_retired', { keyVersion: version });
    return unwrapUsable(db, tenantId, set, version);
  }

  return {
    cacheTtlMs,
    provider,
    async seal(db, ctx, plaintext) {
      const { version, key } = await activeKey(db, ctx);
      return sealText(key, version, ctx, plaintext);
    },
    async open(db, ctx, sealed) {
      const key = await keyFor(db, ctx, readKeyVersion(sealed));
      return openText(key, ctx, sealed);
    },
    async sealBytes(db, ctx, plaintext) {
      const { version, key } = await activeKey(db, ctx);
      return sealBinary(key, version, ctx, plaintext);
    },
    async openBytes(db, ctx, sealed) {
      const key = await keyFor(db, ctx, readKeyVersion(sealed));
      return openBinary(key, ctx, sealed);
    },
    forget(tenantId) {
      cache.delete(tenantId.toLowerCase());
    },
    forgetAll() {
      cache.clear();
    },
  };
}
