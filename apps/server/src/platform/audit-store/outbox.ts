import type { Kysely } from 'kysely';
import { isUuid, newId } from '../db/ids';
import type { DB } from '../db/schema';
import { canonicalJson, type NewAuditEvent } from './event';

const MAX_SHORT_TEXT = 500;

function shortText(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SHORT_TEXT) {
    throw new Error(`Audit event ${name} must be 1 to ${MAX_SHORT_TEXT} characters`);
  }
  return value;
}

/**
 * Records an event inside the caller's (tenant-bound) transaction: the change and its event commit
 * together or not at all. The relay later moves it into the audit store. Returns the event id.
 */
export async function recordAuditEvent(trx: Kysely<DB>, event: NewAuditEvent): Promise<string> {
  if (!isUuid(event.tenantId)) throw new Error('Audit event needs a tenant id (UUID)');
  const occurredAt = event.occurredAt;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) {
    throw new Error('Audit event needs a valid time');
  }
  const id = newId();
  await trx
    .insertInto('audit_outbox')
    .values({
      id,
      tenant_id: event.tenantId.toLowerCase(),
      occurred_at: occurredAt.toISOString(),
      actor_id: shortText('actor id', event.actor.id),
      // An e-mail or name may be empty (a system actor), never missing.
      actor_email: String(event.actor.email),
      actor_name: String(event.actor.name),
      action: shortText('action', event.action),
      target_type: shortText('target type', event.target.type),
      target_id: shortText('target id', event.target.id),
      changes: canonicalJson(
        event.changes.map(({ field, before, after }) => ({
          field,
          before: before ?? null,
          after: after ?? null,
        })),
      ),
      request_id: event.requestId,
    })
    .execute();
  return id;
}
