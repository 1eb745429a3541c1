import type { AuditEvent, FieldChange } from './event';
import { type AuditEventsTable, type AuditStore, readTenantEvents } from './store';

export const MAX_AUDIT_PAGE = 500;

export interface ListEventsQuery {
  targetType?: string;
  targetId?: string;
  /** Keyset cursor: only events with a lower seq (the `nextBefore` of the previous page). */
  before?: number;
  limit: number;
}

export interface AuditEventPage {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export const auditEventFromRow = (row: AuditEventsTable): AuditEvent => ({
  id: row.id,
  tenantId: row.tenant_id,
  seq: Number(row.seq),
  occurredAt: row.occurred_at,
  actor: { id: row.actor_id, email: row.actor_email, name: row.actor_name },
  actorErased: row.actor_salt === null,
  action: row.action,
  target: { type: row.target_type, id: row.target_id },
  changes: JSON.parse(row.changes) as FieldChange[],
  requestId: row.request_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** A tenant's history, newest first, optionally for one target (the per-device history view). */
export async function listEvents(
  store: AuditStore,
  tenantId: string,
  query: ListEventsQuery,
): Promise<AuditEventPage> {
  const tenant = tenantId.toLowerCase();
  const limit = Math.min(Math.max(1, Math.floor(query.limit)), MAX_AUDIT_PAGE);
  const rows = await readTenantEvents(store, tenant, (db) => {
    let q = db.selectFrom('events').selectAll().where('tenant_id', '=', tenant);
    if (query.targetType !== undefined) q = q.where('target_type', '=', query.targetType);
    if (query.targetId !== undefined) q = q.where('target_id', '=', query.targetId);
    if (query.before !== undefined) q = q.where('seq', '<', query.before);
    return q
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
  });
  const page = rows.slice(0, limit);
  return {
    events: page.map(auditEventFromRow),
    nextBefore: rows.length > limit ? Number(page[page.length - 1]!.seq) : null,
  };
}
