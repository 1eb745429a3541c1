import { LRUCache } from 'lru-cache';

/**
 * DEV-9, SPEC 9: list totals kept per tenant, devices version and filters. Counting up to 10,000 matches
 * costs more than the page itself (PostgreSQL reads every match of a broad search); the same total is asked
 * again by every page of a list, every refresh and every colleague with the same view. A total is only
 * kept under the tenant's devices version, which every write that can change a list's matches raises in
 * its own transaction (catalog `markDevicesChanged`), so a kept total is the one a count would give.
 *
 * Each process keeps its own (several processes stay right: the version is read from the database). Entries
 * also expire after a minute, so a write made outside the app (a database console) is reflected soon.
 */
export class DeviceTotals {
  private readonly entries: LRUCache<string, number>;

  constructor(maxEntries = 5_000, ttlMs = 60_000, now: () => number = Date.now) {
    this.entries = new LRUCache<string, number>({
      max: maxEntries,
      ttl: ttlMs,
      updateAgeOnGet: false,
      ttlAutopurge: false,
      ttlResolution: 0,
      perf: { now },
    });
  }

  static key(tenantId: string, devicesVersion: number, filters: unknown): string {
    return `${tenantId}:${devicesVersion}:${JSON.stringify(filters)}`;
  }

  get(key: string): number | undefined {
    return this.entries.get(key);
  }

  set(key: string, total: number): void {
    this.entries.set(key, total);
  }
}

const byDatabase = new WeakMap<object, DeviceTotals>();

/** The totals kept for one database (tests open several in one process). */
export function deviceTotalsOf(database: object): DeviceTotals {
  let totals = byDatabase.get(database);
  if (!totals) {
    totals = new DeviceTotals();
    byDatabase.set(database, totals);
  }
  return totals;
}
