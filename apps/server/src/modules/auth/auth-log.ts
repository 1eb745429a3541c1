import { createHash } from 'node:crypto';
import type { AuthEvent } from '@thestorage/contracts';
import type { Clock } from '../../platform/clock';
import type { DatabaseHandle } from '../../platform/db/connect';
import { isUuid, newId } from '../../platform/db/ids';
import type { AuthEventOutcome, AuthEventRow } from '../../platform/db/schema';
import { withSystem } from '../../platform/db/tenant-scope';

export interface AuthEventInput {
  outcome: AuthEventOutcome;
  reason?: string | null;
  provider?: string | null;
  tenantId?: string | null;
  /** The person, as issuer + subject or a user id: stored only as a reference (a SHA-256 digest). */
  subject?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** A stable, non-reversible reference to a person for the log: the same person always gets the same one. */
export const subjectReference = (subject: string) =>
  createHash('sha256').update(`thestorage-auth-log:${subject}`).digest('hex').slice(0, 32);

/** SEC-13: every sign-in attempt, sign-out and session expiry, in a table only the platform console reads. */
export async function recordAuthEvent(
  handle: DatabaseHandle,
  clock: Clock,
  input: AuthEventInput,
): Promise<void> {
  await withSystem(handle, (trx) =>
    trx
      .insertInto('auth_events')
      .values({
        id: newId(),
        occurred_at: clock.now().toISOString(),
        outcome: input.outcome,
        reason: input.reason ?? null,
        provider: input.provider ?? null,
        tenant_id: input.tenantId ?? null,
        subject_ref: input.subject ? subjectReference(input.subject) : null,
        ip: input.ip ?? null,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute(),
  );
}

const toEvent = (row: AuthEventRow): AuthEvent => ({
  id: String(row.id),
  occurredAt: row.occurred_at,
  outcome: row.outcome,
  reason: row.reason,
  provider: row.provider,
  tenantId: row.tenant_id === null ? null : String(row.tenant_id),
  subjectRef: row.subject_ref,
  ip: row.ip,
  userAgent: row.user_agent,
});

/** Newest first, keyset-paged on (occurred_at, id); the cursor is `<occurred_at>|<id>`. */
export async function listAuthEvents(
  handle: DatabaseHandle,
  query: { outcome?: AuthEventOutcome; provider?: string; tenantId?: string; before?: string; limit: number },
): Promise<{ events: AuthEvent[]; nextBefore: string | null }> {
  const rows = await withSystem(handle, (trx) => {
    let q = trx.selectFrom('auth_events').selectAll();
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    if (query.provider) q = q.where('provider', '=', query.provider);
    if (query.tenantId) q = q.where('tenant_id', '=', query.tenantId);
    if (query.before) {
      const [at, id] = query.before.split('|');
      if (at && id && isUuid(id)) {
        q = q.where((eb) =>
          eb.or([eb('occurred_at', '<', at), eb.and([eb('occurred_at', '=', at), eb('id', '<', id)])]),
        );
      }
    }
    return q
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: page.map(toEvent),
    nextBefore: rows.length > query.limit && last ? `${last.occurred_at}|${last.id}` : null,
  };
}

/** Retention (default 90 days): older entries go, by a daily job. */
export async function purgeAuthEvents(
  handle: DatabaseHandle,
  clock: Clock,
  retentionDays: number,
): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - retentionDays * 24 * 60 * 60 * 1000).toISOString();
  const result = await withSystem(handle, (trx) =>
    trx.deleteFrom('auth_events').where('occurred_at', '<', cutoff).executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}
