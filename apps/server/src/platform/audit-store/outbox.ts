import type { Kysely } from 'kysely';
import { insertRows } from '../db/bulk-insert';
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

const isScalar = (value: unknown) =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * The canonical JSON of field changes (keys sorted: after, before, field). Scalar values — nearly every
 * event, and every one of a 100,000-row import — are written directly; anything else takes the general path.
 */
export function changesJson(changes: NewAuditEvent['changes']): string {
  let json = '';
  for (const { field, before, after } of changes) {
    const b = before ?? null;
    const a = after ?? null;
    if (!isScalar(a) || !isScalar(b) || typeof field !== 'string') {
      return canonicalJson(
        changes.map((c) => ({ field: c.field, before: c.before ?? null, after: c.after ?? null })),
      );
    }
    // Nulls (every "before" of a new device) written as such; field names, a handful, quoted once each.
    json += `${json ? ',' : ''}{"after":${a === null ? 'null' : JSON.stringify(a)},"before":${b === null ? 'null' : JSON.stringify(b)},"field":${quotedField(field)}}`;
  }
  return `[${json}]`;
}

const quotedFields = new Map<string, string>();
function quotedField(field: string): string {
  let quoted = quotedFields.get(field);
  if (quoted === undefined) {
    quoted = JSON.stringify(field);
    if (quotedFields.size < 1_000) quotedFields.set(field, quoted);
  }
  return quoted;
}

/** The last tenant id checked and time written: an import's 100,000 events share both. */
const last = { tenantId: '', tenant: '', time: Number.NaN, iso: '' };

/** The outbox row of an event, checked: the audit store accepts nothing less. */
function outboxRow(event: NewAuditEvent) {
  if (event.tenantId !== last.tenantId) {
    if (!isUuid(event.tenantId)) throw new Error('Audit event needs a tenant id (UUID)');
    last.tenantId = event.tenantId;
    last.tenant = event.tenantId.toLowerCase();
  }
  const occurredAt = event.occurredAt;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) {
    throw new Error('Audit event needs a valid time');
  }
  if (occurredAt.getTime() !== last.time) {
    last.time = occurredAt.getTime();
    last.iso = occurredAt.toISOString();
  }
  return {
    id: newId(),
    tenant_id: last.tenant,
    occurred_at: last.iso,
    actor_id: shortText('actor id', event.actor.id),
    // An e-mail or name may be empty (a system actor), never missing.
    actor_email: String(event.actor.email),
    actor_name: String(event.actor.name),
    action: shortText('action', event.action),
    target_type: shortText('target type', event.target.type),
    target_id: shortText('target id', event.target.id),
    changes: changesJson(event.changes),
    request_id: event.requestId,
  };
}

/**
 * Records an event inside the caller's (tenant-bound) transaction: the change and its event commit
 * together or not at all. The relay later moves it into the audit store. Returns the event id.
 */
export async function recordAuditEvent(trx: Kysely<DB>, event: NewAuditEvent): Promise<string> {
  const row = outboxRow(event);
  await trx.insertInto('audit_outbox').values(row).execute();
  return row.id;
}

/** Many events in a few multi-row INSERTs (an import's thousands of Imported events), same guarantees. */
export async function recordAuditEvents(trx: Kysely<DB>, events: readonly NewAuditEvent[]): Promise<void> {
  await insertRows(trx, 'audit_outbox', events.map(outboxRow));
}
