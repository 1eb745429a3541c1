import { createHash, randomBytes } from 'node:crypto';

/** A JSON value as it may appear in a field's before/after. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One changed field. Secrets (licence keys, client secrets) are never put here in clear: callers log a marker. */
export interface FieldChange {
  field: string;
  before: JsonValue;
  after: JsonValue;
}

/** Who acted: e-mail, name and unique id are the only personal data the history keeps (SEC-7). */
export interface AuditActor {
  id: string;
  email: string;
  name: string;
}

/** What callers record; the store adds seq, the actor digest and the chain hashes. */
export interface NewAuditEvent {
  tenantId: string;
  occurredAt: Date;
  actor: AuditActor;
  /** `<thing>.<verb>`, e.g. 'membership.invited'. */
  action: string;
  target: { type: string; id: string };
  changes: FieldChange[];
  requestId: string | null;
}

/** An event as the audit store holds it. */
export interface AuditEvent {
  id: string;
  tenantId: string;
  seq: number;
  occurredAt: string;
  actor: AuditActor;
  /** False once the actor's personal data was erased on request. */
  actorErased: boolean;
  action: string;
  target: { type: string; id: string };
  changes: FieldChange[];
  requestId: string | null;
  prevHash: string;
  hash: string;
}

/** prev_hash of the first event of every tenant chain. */
export const GENESIS_HASH = '0'.repeat(64);
/** What an erased actor's e-mail and name read afterwards. */
export const ERASED = '[erased]';
const HASH_VERSION = 1;

/** JSON with object keys sorted at every level, so one value always encodes to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const encoded = JSON.stringify(value);
    if (encoded === undefined) throw new TypeError('Audit data must be JSON (no undefined, functions)');
    return encoded;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A fresh 128-bit salt: once erased with the e-mail and name, the digest cannot be tested against guesses. */
export const newActorSalt = (): string => randomBytes(16).toString('hex');

/** The chain covers the actor's e-mail and name through this salted digest, so they can be erased later. */
export const actorDigest = (salt: string, email: string, name: string): string =>
  sha256(canonicalJson({ email, name, salt }));

/** The fields the chain hash covers, in their stored form. */
export interface HashedFields {
  id: string;
  tenant_id: string;
  seq: number;
  occurred_at: string;
  actor_id: string;
  actor_digest: string;
  action: string;
  target_type: string;
  target_id: string;
  /** The stored canonical JSON text of the changes. */
  changes: string;
  request_id: string | null;
  prev_hash: string;
}

export function eventHash(f: HashedFields): string {
  return sha256(
    canonicalJson({
      v: HASH_VERSION,
      id: f.id,
      tenant_id: f.tenant_id.toLowerCase(),
      seq: f.seq,
      occurred_at: f.occurred_at,
      actor_id: f.actor_id,
      actor_digest: f.actor_digest,
      action: f.action,
      target_type: f.target_type,
      target_id: f.target_id,
      changes: f.changes,
      request_id: f.request_id,
      prev_hash: f.prev_hash,
    }),
  );
}
