import { createHash, randomBytes } from 'node:crypto';

/** Small per-session values; `csrfSecret` is the synchronizer token checked by the CSRF guard. */
export interface SessionData {
  csrfSecret?: string;
  [key: string]: unknown;
}

/** A live server-side session. `id` is the opaque cookie value (only its SHA-256 is stored). */
export interface Session {
  id: string;
  userId: string;
  activeTenantId: string | null;
  data: SessionData;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface NewSession {
  userId: string;
  activeTenantId: string | null;
  data?: SessionData;
}

/** `data` keys are merged into the stored data (a key set to undefined is removed). */
export interface SessionPatch {
  activeTenantId?: string | null;
  data?: Partial<SessionData>;
}

/** Why a presented session id found no live session: expired (with whose) or never known / revoked. */
export type SessionLookup =
  | { state: 'active'; session: Session }
  | { state: 'expired'; userId: string; reason: 'idle' | 'absolute' }
  | { state: 'missing' };

export interface SessionTimeouts {
  /** Ends a session after this long without a request (default 30 minutes). */
  idleMs: number;
  /** Ends a session this long after sign-in, however active (default 12 hours). */
  absoluteMs: number;
  /** touch() writes at most this often per session (default 1 minute). */
  touchIntervalMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = {
  idleMs: 30 * 60 * 1000,
  absoluteMs: 12 * 60 * 60 * 1000,
  touchIntervalMs: 60 * 1000,
};

/** Server-side sessions (SQL or Redis) so any app node can serve any browser. Time comes in as `now`. */
export interface SessionStore {
  create(session: NewSession, now: Date): Promise<{ id: string; session: Session }>;
  /** The live session, or null when missing, revoked or expired (an expired one is deleted). */
  get(id: string, now: Date): Promise<Session | null>;
  /** As get(), but says whether a dead session expired, and whose it was (for the authentication log). */
  lookup(id: string, now: Date): Promise<SessionLookup>;
  /**
   * Slides the idle timeout (never past the absolute one) of a live session. Writes at most once per
   * touchIntervalMs; true when it wrote.
   */
  touch(id: string, now: Date): Promise<boolean>;
  /** Changes a live session; false when it no longer exists. */
  update(id: string, patch: SessionPatch): Promise<boolean>;
  revoke(id: string): Promise<void>;
  revokeAllForUser(userId: string): Promise<void>;
  /** Deletes every expired session and returns how many (SQL; Redis expires keys itself and returns 0). */
  purgeExpired(now: Date): Promise<number>;
  readonly timeouts: SessionTimeouts;
}

/** 256 random bits, base64url: the cookie value. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');

/** What the stores keep instead of the id, so a leaked table or dump cannot be replayed as a cookie. */
export const hashSessionId = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex');

/** A fresh CSRF synchronizer secret (256 bits). */
export const newCsrfSecret = (): string => randomBytes(32).toString('base64url');

export function resolveTimeouts(partial: Partial<SessionTimeouts> = {}): SessionTimeouts {
  const timeouts = { ...DEFAULT_SESSION_TIMEOUTS, ...partial };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`Session ${name} must be a whole number ≥ 0`);
  }
  if (timeouts.idleMs <= 0 || timeouts.absoluteMs <= 0) throw new Error('Session timeouts must be positive');
  return timeouts;
}

/** The expiry times of a session started at `now`. */
export function initialExpiry(
  now: Date,
  t: SessionTimeouts,
): { idleExpiresAt: Date; absoluteExpiresAt: Date } {
  const absoluteExpiresAt = new Date(now.getTime() + t.absoluteMs);
  const idleExpiresAt = new Date(Math.min(now.getTime() + t.idleMs, absoluteExpiresAt.getTime()));
  return { idleExpiresAt, absoluteExpiresAt };
}

/** Why a stored session is dead at `now`, or null while it lives. */
export function expiryReason(
  s: { idleExpiresAt: Date; absoluteExpiresAt: Date },
  now: Date,
): 'idle' | 'absolute' | null {
  if (now.getTime() >= s.absoluteExpiresAt.getTime()) return 'absolute';
  if (now.getTime() >= s.idleExpiresAt.getTime()) return 'idle';
  return null;
}

/** Applies a data patch: keys merge, undefined removes. */
export function mergeData(current: SessionData, patch: Partial<SessionData> | undefined): SessionData {
  if (!patch) return current;
  const merged: SessionData = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export const parseData = (text: string): SessionData => {
  const value: unknown = JSON.parse(text);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as SessionData) : {};
};
