import { CompiledQuery, type Kysely } from 'kysely';
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
function changesJson(changes: NewAuditEvent['changes']): string {
  const parts: string[] = [];
  for (const { field, before, after } of changes) {
    const b = before ?? null;
    const a = after ?? null;
    if (!isScalar(a) || !isScalar(b) || typeof field !== 'string') {
      return canonicalJson(
        changes.map((c) => ({ field: c.field, before: c.before ?? null, after: c.after ?? null })),
      );
    }
    parts.push(
      `{"after":${JSON.stringify(a)},"before":${JSON.stringify(b)},"field":${JSON.stringify(field)}}`,
    );
  }
  return `[${parts.join(',')}]`;
}

/** The outbox row of an event, checked: the audit store accepts nothing less. */
function outboxRow(event: NewAuditEvent) {
  if (!isUuid(event.tenantId)) throw new Error('Audit event needs a tenant id (UUID)');
  const occurredAt = event.occurredAt;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) {
    throw new Error('Audit event needs a valid time');
  }
  return {
    id: newId(),
    tenant_id: event.tenantId.toLowerCase(),
    occurred_at: occurredAt.toISOString(),
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

/** Rows per INSERT: well under SQLite's 32,766 bound parameters at 12 columns a row. */
const BULK_ROWS = 500;

/** Many events in a few multi-row INSERTs (an import's thousands of Imported events), same guarantees. */
export async function recordAuditEvents(trx: Kysely<DB>, events: readonly NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(outboxRow);
  const columns = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
  // Written as SQL text with parameters: building a 500-row insert through the query builder costs more
  // than running it. The placeholder style is the dialect's, read from a compiled query.
  const numbered = trx
    .selectFrom('audit_outbox')
    .select('id')
    .where('id', '=', '')
    .compile()
    .sql.includes('$1');
  for (let start = 0; start < rows.length; start += BULK_ROWS) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + BULK_ROWS).map((row) => {
      const marks = columns.map((column) => {
        params.push(row[column]);
        return numbered ? `$${params.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    await trx.executeQuery(
      CompiledQuery.raw(
        `insert into "audit_outbox" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`,
        params,
      ),
    );
  }
}
