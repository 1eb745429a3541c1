/**
 * A string key/value store with a time to live. Directory data lives only here (SEC-5):
 * in-process memory by default, Redis (persistence off) in production.
 */
export interface Cache {
  /** The value, or undefined once it expired or was never set. Reading never extends the TTL (SEC-5). */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Resolves when the store answers; used by the readiness check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function assertValidTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0)
    throw new RangeError(`Cache TTL must be a positive integer, got ${ttlMs}`);
}
