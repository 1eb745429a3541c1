import { ErrorCode } from '@thestorage/contracts';
import {
  type AuditActor,
  canonicalJson,
  type FieldChange,
  type JsonValue,
} from '../../platform/audit-store/event';
import type { Actor } from '../../platform/http/actor';
import { AppError } from '../../platform/http/errors';

/** What every catalog write shares: the version check (DEV-6) and the audit changes (SEC-7). */

export const auditActor = (actor: Actor): AuditActor => ({
  id: actor.userId,
  email: actor.email,
  name: actor.name,
});

/** DEV-6: the edit was based on an older version; `current` tells the client what to reload. */
export const modifiedBySomeoneElse = (current?: number) =>
  new AppError(
    ErrorCode.ModifiedBySomeoneElse,
    'Modified by someone else',
    current === undefined ? {} : { details: { version: current } },
  );

/** Refuses an edit unless it was based on the version stored now. */
export function assertVersion(stored: number, sent: number): void {
  if (stored !== sent) throw modifiedBySomeoneElse(stored);
}

export type AuditedFields = Record<string, JsonValue>;

/**
 * Field-level changes between two states of a record; null stands for "did not exist", so a creation
 * lists every field with before null and a deletion every field with after null.
 */
export function fieldChanges(before: AuditedFields | null, after: AuditedFields | null): FieldChange[] {
  const fields = Object.keys(after ?? before ?? {});
  return fields
    .map((field) => ({ field, before: before?.[field] ?? null, after: after?.[field] ?? null }))
    .filter((change) => canonicalJson(change.before) !== canonicalJson(change.after));
}

/** "1 device", "3 devices". */
export const devicesPhrase = (count: number): string => `${count} ${count === 1 ? 'device' : 'devices'}`;
