import { randomUUID } from 'node:crypto';
import type { Cache } from '../../../platform/cache/cache';
import { type Clock, DAY_MS } from '../../../platform/clock';
import type { DirectoryPerson } from '../types';
import { type DirectoryEntry, fromStoredEntry, isEmployeeReference, toStoredEntry } from './directory-entry';
import { DirectoryIndex, MIN_SEARCH_LENGTH } from './directory-index';

export const DIRECTORY_TTL_MS = 14 * DAY_MS;
const DEFAULT_CHUNK_SIZE = 1_000;
const DEFAULT_SEARCH_LIMIT = 20;
const LOAD_ATTEMPTS = 3;

export interface DirectoryCacheOptions {
  cache: Cache;
  clock: Clock;
  /** Counted from the last successful sync (SEC-5); reads never extend it. */
  ttlMs?: number;
  /** People per cache value. */
  chunkSize?: number;
  /** Organizations whose search index this process keeps at once (least recently used dropped). */
  maxIndexedOrganizations?: number;
}

export interface DirectoryDelta {
  upserts: DirectoryEntry[];
  removedReferences: string[];
}

export interface DirectoryCache {
  /** After a full sync: the cache holds exactly these people, alive for the full TTL from now. */
  replaceAll(organizationId: string, entries: DirectoryEntry[]): Promise<{ count: number }>;
  /**
   * After a delta sync (or any successful sync without changes): upserts and removals are applied,
   * and every entry — changed or not — lives for the full TTL from now. `hadSnapshot: false` means
   * nothing was cached any more (expired, Redis restarted), so the caller should run a full sync.
   */
  apply(organizationId: string, delta: DirectoryDelta): Promise<{ count: number; hadSnapshot: boolean }>;
  /** The people the cache still knows; a missing reference is shown as "Unknown employee". */
  lookup(organizationId: string, references: readonly string[]): Promise<Map<string, DirectoryPerson>>;
  /**
   * People by user name (UPN or e-mail), case-insensitive: an import's "Assigned" column (DEV-12). The
   * answer is keyed by the lower-cased user name; names the cache does not know are absent.
   */
  findByUserNames(organizationId: string, userNames: readonly string[]): Promise<Map<string, DirectoryEntry>>;
  /** The assign picker: nothing under 3 characters; word-prefix matches first, then "contains". */
  search(organizationId: string, query: string, limit?: number): Promise<DirectoryEntry[]>;
  count(organizationId: string): Promise<number>;
  /** When the last successful sync stored the people, or null once they expired. */
  lastRefreshedAt(organizationId: string): Promise<Date | null>;
  /** Drops the organization's people now (organization deleted, SEC-12). */
  forget(organizationId: string): Promise<void>;
}

/** What `directory:<org>:meta` holds: which snapshot is current, and until when. */
interface SnapshotMeta {
  v: 1;
  generation: string;
  chunks: number;
  count: number;
  refreshedAt: number;
  expiresAt: number;
}

interface Snapshot {
  generation: string;
  index: DirectoryIndex;
  expiresAt: number;
}

/**
 * The directory cache (SEC-5/SEC-6) on the generic `Cache`, so it runs on lru-cache and on Redis.
 * Layout per organization: one `directory:<org>:meta` key naming the current generation, and the
 * people in `directory:<org>:<generation>:<n>` chunks of ~1,000 JSON entries, every key with the same
 * expiry instant. A sync with changes writes a new generation and then switches the meta key, so other
 * nodes never read half a sync; a sync without changes rewrites the same generation with a new expiry,
 * so their search indexes stay valid. A refresh costs one SET per chunk (~100 at 100,000 people):
 * `Cache` has no EXPIRE, and the people themselves must expire, not just a pointer to them.
 * Syncs of one organization are expected one at a time (the sync job's lock).
 */
export function createDirectoryCache(options: DirectoryCacheOptions): DirectoryCache {
  const { cache, clock } = options;
  const ttlMs = options.ttlMs ?? DIRECTORY_TTL_MS;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const maxIndexed = options.maxIndexedOrganizations ?? 32;
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive integer');
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new RangeError('chunkSize must be positive');

  // In-process search indexes, one per organization, valid while the meta key names their generation.
  const snapshots = new Map<string, Snapshot>();
  const loading = new Map<string, Promise<Snapshot | null>>();

  const prefix = (org: string) => {
    if (typeof org !== 'string' || org.length === 0) throw new TypeError('An organization id is required');
    return `directory:${encodeURIComponent(org)}`;
  };
  const metaKey = (org: string) => `${prefix(org)}:meta`;
  const chunkKey = (org: string, generation: string, n: number) => `${prefix(org)}:${generation}:${n}`;

  const remember = (org: string, snapshot: Snapshot) => {
    snapshots.delete(org);
    snapshots.set(org, snapshot);
    while (snapshots.size > maxIndexed) snapshots.delete(snapshots.keys().next().value!);
  };
  // An index must not outlive the people it was built from, even for an organization nobody asks about.
  const dropExpired = () => {
    const now = clock.now().getTime();
    for (const [org, snapshot] of snapshots) if (now > snapshot.expiresAt) snapshots.delete(org);
  };

  async function readMeta(org: string): Promise<SnapshotMeta | null> {
    const raw = await cache.get(metaKey(org));
    if (raw === undefined) return null;
    const meta = parseJson(raw, 'meta') as Partial<SnapshotMeta>;
    if (
      meta.v !== 1 ||
      typeof meta.generation !== 'string' ||
      !Number.isInteger(meta.chunks) ||
      !Number.isInteger(meta.count) ||
      typeof meta.refreshedAt !== 'number' ||
      typeof meta.expiresAt !== 'number'
    )
      throw new Error('The directory cache meta entry has an unknown shape');
    // The store expires it too; this also holds when its clock and ours disagree by a few milliseconds.
    if (clock.now().getTime() > meta.expiresAt) return null;
    return meta as SnapshotMeta;
  }

  async function loadSnapshot(org: string, meta: SnapshotMeta): Promise<Snapshot | null> {
    let current: SnapshotMeta | null = meta;
    for (let attempt = 0; attempt < LOAD_ATTEMPTS && current; attempt++) {
      const generation: string = current.generation;
      const values = await Promise.all(
        Array.from({ length: current.chunks }, (_, n) => cache.get(chunkKey(org, generation, n))),
      );
      const after = await readMeta(org);
      if (after?.generation !== generation) {
        // Another node switched generations while this one read: read the new one.
        current = after;
        continue;
      }
      const entries: DirectoryEntry[] = [];
      // A chunk evicted from a bounded cache leaves its people unknown until the next sync.
      for (const value of values) {
        if (value === undefined) continue;
        const stored = parseJson(value, 'chunk');
        if (!Array.isArray(stored)) throw new Error('A directory cache chunk is not a list');
        for (const item of stored) entries.push(fromStoredEntry(item));
      }
      return { generation, index: new DirectoryIndex(entries), expiresAt: current.expiresAt };
    }
    if (current) throw new Error('The directory kept changing while it was read; try again');
    return null;
  }

  /** The organization's current snapshot, rebuilt only when another node wrote a new generation. */
  async function currentSnapshot(org: string): Promise<Snapshot | null> {
    dropExpired();
    const meta = await readMeta(org);
    if (!meta) {
      snapshots.delete(org);
      return null;
    }
    const known = snapshots.get(org);
    if (known?.generation === meta.generation) {
      // Another node may have refreshed the same generation: adopt its expiry.
      known.expiresAt = meta.expiresAt;
      return known;
    }
    const key = `${org}\0${meta.generation}`;
    let pending = loading.get(key);
    if (!pending) {
      pending = loadSnapshot(org, meta).finally(() => loading.delete(key));
      loading.set(key, pending);
    }
    const snapshot = await pending;
    if (snapshot) remember(org, snapshot);
    else snapshots.delete(org);
    return snapshot;
  }

  /** Writes every chunk, then the meta key, all expiring at the same instant, ttlMs from now. */
  async function store(org: string, index: DirectoryIndex, generation: string): Promise<SnapshotMeta> {
    const refreshedAt = clock.now().getTime();
    const expiresAt = refreshedAt + ttlMs;
    const remaining = () => Math.max(1, expiresAt - clock.now().getTime());
    const entries = index.entries();
    const chunks = Math.ceil(entries.length / chunkSize);
    await Promise.all(
      Array.from({ length: chunks }, (_, n) => {
        const value = JSON.stringify(entries.slice(n * chunkSize, (n + 1) * chunkSize));
        return cache.set(chunkKey(org, generation, n), value, remaining());
      }),
    );
    const meta: SnapshotMeta = { v: 1, generation, chunks, count: entries.length, refreshedAt, expiresAt };
    await cache.set(metaKey(org), JSON.stringify(meta), remaining());
    return meta;
  }

  async function dropChunks(org: string, generation: string, chunks: number): Promise<void> {
    await Promise.all(Array.from({ length: chunks }, (_, n) => cache.del(chunkKey(org, generation, n))));
  }

  async function replaceWith(org: string, index: DirectoryIndex, previous: SnapshotMeta | null) {
    const generation = randomUUID();
    const meta = await store(org, index, generation);
    remember(org, { generation, index, expiresAt: meta.expiresAt });
    if (previous && previous.generation !== generation)
      await dropChunks(org, previous.generation, previous.chunks);
    return meta;
  }

  return {
    async replaceAll(org, entries) {
      const index = new DirectoryIndex(uniqueByReference(entries.map(toStoredEntry)));
      const previous = await readMeta(org);
      const meta = await replaceWith(org, index, previous);
      return { count: meta.count };
    },

    async apply(org, delta) {
      const upserts = delta.upserts.map(toStoredEntry);
      for (const reference of delta.removedReferences)
        if (!isEmployeeReference(reference))
          throw new TypeError('A removed reference is not an employee reference');
      const previous = await readMeta(org);
      const snapshot = previous ? await currentSnapshot(org) : null;
      if (snapshot && previous && upserts.length === 0 && delta.removedReferences.length === 0) {
        // Nothing changed: same generation, new expiry, so other nodes keep their indexes.
        const meta = await store(org, snapshot.index, snapshot.generation);
        snapshot.expiresAt = meta.expiresAt;
        return { count: meta.count, hadSnapshot: true };
      }
      const people = new Map<string, DirectoryEntry>();
      for (const entry of snapshot?.index.entries() ?? []) people.set(entry.reference, entry);
      for (const reference of delta.removedReferences) people.delete(reference);
      for (const entry of upserts) people.set(entry.reference, entry);
      const meta = await replaceWith(org, new DirectoryIndex(people.values()), previous);
      return { count: meta.count, hadSnapshot: snapshot !== null };
    },

    async lookup(org, references) {
      const found = new Map<string, DirectoryPerson>();
      const snapshot = await currentSnapshot(org);
      if (!snapshot) return found;
      for (const reference of references) {
        const person = snapshot.index.get(reference);
        if (person) found.set(reference, person);
      }
      return found;
    },

    async findByUserNames(org, userNames) {
      const found = new Map<string, DirectoryEntry>();
      const snapshot = await currentSnapshot(org);
      if (!snapshot) return found;
      for (const userName of userNames) {
        const entry = snapshot.index.byUserName(userName);
        if (entry) found.set(userName.trim().toLowerCase(), entry);
      }
      return found;
    },

    async search(org, query, limit = DEFAULT_SEARCH_LIMIT) {
      if (query.trim().length < MIN_SEARCH_LENGTH) return [];
      const snapshot = await currentSnapshot(org);
      return snapshot ? snapshot.index.search(query, limit) : [];
    },

    async count(org) {
      return (await readMeta(org))?.count ?? 0;
    },

    async lastRefreshedAt(org) {
      const meta = await readMeta(org);
      return meta ? new Date(meta.refreshedAt) : null;
    },

    async forget(org) {
      const meta = await readMeta(org);
      snapshots.delete(org);
      await cache.del(metaKey(org));
      if (meta) await dropChunks(org, meta.generation, meta.chunks);
    },
  };
}

function uniqueByReference(entries: DirectoryEntry[]): Iterable<DirectoryEntry> {
  const byReference = new Map<string, DirectoryEntry>();
  for (const entry of entries) byReference.set(entry.reference, entry);
  return byReference.values();
}

/** JSON.parse quotes the text it fails on; this error must not carry a person's name into a log. */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`The directory cache ${what} entry is not valid JSON`);
  }
}
