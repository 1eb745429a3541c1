import type { Cache } from '../../platform/cache/cache';
import type { Clock } from '../../platform/clock';
import { DIRECTORY_TTL_MS, type DirectoryCache } from '../directory/cache/directory-cache';
import type { DirectoryEntry } from '../directory/cache/directory-entry';
import type { DirectoryPerson } from '../directory/types';

/** Keep-alive of an organization's cached people on authenticated SCIM requests: at most this often. */
export const KEEP_ALIVE_INTERVAL_MS = 60 * 60 * 1000;

export interface ScimGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  /** Employee references (the SCIM ids of the member users). */
  members: string[];
}

export interface ScimStoreOptions {
  cache: Cache;
  directoryCache: DirectoryCache;
  clock: Clock;
  ttlMs?: number;
}

/**
 * Where SCIM-pushed people live (SEC-5): the organization's directory cache, like synced people, under
 * the same 14-day rule. Beside it, in the same cache and with the same lifetime, the list of references
 * SCIM provisioned (opaque, so a list can answer without scanning synced people) and the groups.
 * Writes of one organization are serialized in this process, as the directory cache expects.
 */
export function createScimStore(options: ScimStoreOptions) {
  const { cache, directoryCache, clock } = options;
  const ttlMs = options.ttlMs ?? DIRECTORY_TTL_MS;
  const lastKeptAlive = new Map<string, number>();
  const queues = new Map<string, Promise<unknown>>();

  const peopleKey = (org: string) => `scim:${encodeURIComponent(org)}:people`;
  const groupsKey = (org: string) => `scim:${encodeURIComponent(org)}:groups`;

  /** Runs one write of an organization after the previous one. */
  function serialized<T>(org: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(org) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(org, settled);
    void settled.then(() => {
      if (queues.get(org) === settled) queues.delete(org);
    });
    return next;
  }

  async function readJson<T>(key: string, fallback: T): Promise<T> {
    const raw = await cache.get(key);
    if (raw === undefined) return fallback;
    try {
      return JSON.parse(raw) as T;
    } catch {
      throw new Error('A SCIM cache entry is not valid JSON');
    }
  }

  const references = (org: string) => readJson<string[]>(peopleKey(org), []);
  const groups = (org: string) => readJson<ScimGroup[]>(groupsKey(org), []);
  const saveReferences = (org: string, refs: string[]) =>
    cache.set(peopleKey(org), JSON.stringify(refs), ttlMs);
  const saveGroups = (org: string, list: ScimGroup[]) =>
    cache.set(groupsKey(org), JSON.stringify(list), ttlMs);

  /** Every entry of the organization gets a full TTL from now (what any write does as well). */
  async function refreshAll(org: string): Promise<void> {
    await directoryCache.apply(org, { upserts: [], removedReferences: [] });
    const [refs, list] = await Promise.all([references(org), groups(org)]);
    await Promise.all([saveReferences(org, refs), list.length > 0 ? saveGroups(org, list) : undefined]);
    lastKeptAlive.set(org, clock.now().getTime());
  }

  return {
    /** SCIM-provisioned people still known to the cache, in provisioning order. */
    async listUsers(org: string): Promise<DirectoryEntry[]> {
      const refs = await references(org);
      const found = await directoryCache.lookup(org, refs);
      return refs.flatMap((reference) => {
        const person = found.get(reference);
        return person ? [{ reference, person }] : [];
      });
    },

    async getUser(org: string, reference: string): Promise<DirectoryPerson | null> {
      const refs = await references(org);
      if (!refs.includes(reference)) return null;
      return (await directoryCache.lookup(org, [reference])).get(reference) ?? null;
    },

    putUser(org: string, entry: DirectoryEntry): Promise<void> {
      return serialized(org, async () => {
        await directoryCache.apply(org, { upserts: [entry], removedReferences: [] });
        const refs = await references(org);
        await saveReferences(org, refs.includes(entry.reference) ? refs : [...refs, entry.reference]);
        lastKeptAlive.set(org, clock.now().getTime());
      });
    },

    /** Removes the person from the cache (they become "Unknown employee") and from every group. */
    removeUser(org: string, reference: string): Promise<void> {
      return serialized(org, async () => {
        await directoryCache.apply(org, { upserts: [], removedReferences: [reference] });
        const refs = await references(org);
        await saveReferences(
          org,
          refs.filter((r) => r !== reference),
        );
        const list = await groups(org);
        if (list.some((g) => g.members.includes(reference)))
          await saveGroups(
            org,
            list.map((g) => ({ ...g, members: g.members.filter((m) => m !== reference) })),
          );
        lastKeptAlive.set(org, clock.now().getTime());
      });
    },

    groups,

    /** Replaces the organization's groups with `update(current)`. */
    updateGroups<T>(org: string, update: (current: ScimGroup[]) => { groups: ScimGroup[]; result: T }) {
      return serialized(org, async () => {
        const { groups: next, result } = update(await groups(org));
        await saveGroups(org, next);
        return result;
      });
    },

    /**
     * While the SCIM connection is in use, its people stay alive: an authenticated request renews the
     * organization's lifetime, at most once an hour (reads alone never extend it otherwise, SEC-5).
     */
    async keepAlive(org: string): Promise<boolean> {
      const last = lastKeptAlive.get(org);
      if (last !== undefined && clock.now().getTime() - last < KEEP_ALIVE_INTERVAL_MS) return false;
      await serialized(org, () => refreshAll(org));
      return true;
    },
  };
}

export type ScimStore = ReturnType<typeof createScimStore>;
