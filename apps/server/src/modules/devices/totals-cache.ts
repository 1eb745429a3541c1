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
  private readonly entries = new Map<string, { total: number; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 5_000,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  static key(tenantId: string, devicesVersion: number, filters: unknown): string {
    return `${tenantId}:${devicesVersion}:${JSON.stringify(filters)}`;
  }

  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.total;
  }

  set(key: string, total: number): void {
    this.entries.delete(key);
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { total, expiresAt: this.now() + this.ttlMs });
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
