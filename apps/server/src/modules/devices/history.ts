import {
  DEVICE_EVENT_TYPES,
  type DeviceEventType,
  type DeviceHistoryEvent,
  type ResolvedEmployee,
} from '@thestorage/contracts';
import type { FieldChange } from '../../platform/audit-store/event';
import { listEvents } from '../../platform/audit-store/read';
import type { AuditStore } from '../../platform/audit-store/store';
import type { Actor } from '../../platform/http/actor';
import { notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import type { DirectoryCache } from '../directory/cache/directory-cache';
import { resolvedEmployee } from '../directory/resolved-employee';

export interface DeviceHistoryDeps {
  repos: Repos;
  auditStore: AuditStore;
  directoryCache: DirectoryCache;
}

interface RawEvent {
  id: string;
  action: string;
  occurredAt: string;
  actor: { name: string; email: string };
  changes: FieldChange[];
}

const KNOWN_TYPES = new Set<string>(DEVICE_EVENT_TYPES);
const EMPLOYEE_VALUE = /^employee:([0-9a-f]{64})$/;

/** `employee:<reference>` values hold only the reference: names come from the cache when shown (SEC-5). */
function employeeReferencesIn(events: readonly RawEvent[]): string[] {
  const references = new Set<string>();
  for (const event of events) {
    for (const change of event.changes) {
      for (const value of [change.before, change.after]) {
        const match = typeof value === 'string' ? EMPLOYEE_VALUE.exec(value) : null;
        if (match) references.add(match[1]!);
      }
    }
  }
  return [...references];
}

/** An assignee as people read it: the employee's name (or "Unknown employee"), the place, IT or Store. */
function readableAssignee(value: unknown, people: Map<string, ResolvedEmployee>): unknown {
  if (typeof value !== 'string') return value;
  const employee = EMPLOYEE_VALUE.exec(value);
  if (employee) return people.get(employee[1]!)?.displayName ?? value;
  if (value.startsWith('place:')) return value.slice('place:'.length);
  if (value === 'it') return 'IT';
  if (value === 'store') return 'Store';
  return value;
}

/**
 * DEV-5: a device's history, newest first. Events come from the audit store (SEC-7); the newest may still
 * wait in the outbox for the relay, so those are shown first. Employee names are resolved now, so a
 * person the cache forgot reads "Unknown employee".
 */
export async function deviceHistory(
  deps: DeviceHistoryDeps,
  actor: Actor,
  deviceId: string,
  page: { before?: number; limit: number },
): Promise<{ events: DeviceHistoryEvent[]; nextBefore: number | null }> {
  const pending = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    if (!(await r.devices.get(deviceId))) throw notFound('Device');
    return page.before === undefined ? r.devices.pendingEvents(deviceId) : [];
  });
  const stored = await listEvents(deps.auditStore, actor.tenantId, {
    targetType: 'device',
    targetId: deviceId,
    before: page.before,
    limit: page.limit,
  });
  const seen = new Set(stored.events.map((e) => e.id));
  const raw: RawEvent[] = [
    ...pending.filter((e) => !seen.has(e.id)),
    ...stored.events.map((e) => ({
      id: e.id,
      action: e.action,
      occurredAt: e.occurredAt,
      actor: { name: e.actor.name, email: e.actor.email },
      changes: e.changes,
    })),
  ];
  const references = employeeReferencesIn(raw);
  const found = references.length
    ? await deps.directoryCache.lookup(actor.organizationId, references)
    : new Map();
  const people = new Map(references.map((ref) => [ref, resolvedEmployee(ref, found.get(ref))]));
  const events = raw.flatMap((event): DeviceHistoryEvent[] => {
    const type = event.action.replace(/^device\./, '');
    if (!KNOWN_TYPES.has(type)) return [];
    const assigned = event.changes.find((c) => c.field === 'assignee')?.after;
    const employee = typeof assigned === 'string' ? EMPLOYEE_VALUE.exec(assigned) : null;
    return [
      {
        id: event.id,
        type: type as DeviceEventType,
        occurredAt: event.occurredAt,
        actor: event.actor,
        changes: event.changes.map((c) =>
          c.field === 'assignee'
            ? {
                field: c.field,
                before: readableAssignee(c.before, people),
                after: readableAssignee(c.after, people),
              }
            : c,
        ),
        employee: employee ? (people.get(employee[1]!) ?? null) : null,
      },
    ];
  });
  return { events, nextBefore: stored.nextBefore };
}
