import {
  actorDigest,
  canonicalJson,
  eventHash,
  GENESIS_HASH,
  newActorSalt,
} from '../../apps/server/src/platform/audit-store/event';
import {
  type AuditEventsTable,
  type AuditStore,
  appendToTenantChain,
} from '../../apps/server/src/platform/audit-store/store';
import { newId } from '../../apps/server/src/platform/db/ids';

const ACTIONS = [
  'device.modified',
  'device.assigned_to_employee',
  'device.assigned_to_it',
  'device.assigned_to_place',
  'device.comment_added',
  'device.tag_applied',
  'device.modified',
  'device.marked_as_missing',
  'device.modified',
];

/**
 * SPEC 9: `perDevice` history events for each device (1,000,000 for 100,000 devices), appended to the
 * tenant's chain in the audit store with real sequence numbers and hashes, a thousand per transaction,
 * under the store's own chain lock (the app's relay may append in between). The first event of each
 * device is its creation.
 */
export async function seedHistory(
  store: AuditStore,
  tenantId: string,
  deviceIds: readonly string[],
  perDevice: number,
): Promise<number> {
  const salt = newActorSalt();
  const actor = { id: 'bench-admin', email: 'bench@example.com', name: 'Bench Admin' };
  const digest = actorDigest(salt, actor.email, actor.name);
  const started = Date.parse('2024-01-01T00:00:00Z');
  const total = deviceIds.length * perDevice;
  const BATCH = 1_000;
  let written = 0;
  while (written < total) {
    const count = Math.min(BATCH, total - written);
    await appendToTenantChain(store, tenantId, async (db) => {
      const head = await db
        .selectFrom('events')
        .select(['seq', 'hash'])
        .where('tenant_id', '=', tenantId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      let seq = Number(head?.seq ?? 0);
      let prevHash = head?.hash ?? GENESIS_HASH;
      const rows: AuditEventsTable[] = [];
      for (let i = written; i < written + count; i++) {
        // Event k of every device in turn, so each device's history spreads over the whole chain.
        const device = deviceIds[i % deviceIds.length]!;
        const round = Math.floor(i / deviceIds.length);
        const action = round === 0 ? 'device.created' : ACTIONS[(i + round) % ACTIONS.length]!;
        seq += 1;
        const fields = {
          id: newId(),
          tenant_id: tenantId,
          seq,
          occurred_at: new Date(started + i * 30_000).toISOString(),
          actor_id: actor.id,
          actor_digest: digest,
          action,
          target_type: 'device',
          target_id: device,
          changes: canonicalJson([
            { field: 'name', before: round ? `Device ${round - 1}` : null, after: `Device ${round}` },
          ]),
          request_id: 'bench',
          prev_hash: prevHash,
        };
        const hash = eventHash(fields);
        rows.push({ ...fields, actor_email: actor.email, actor_name: actor.name, actor_salt: salt, hash });
        prevHash = hash;
      }
      await db.insertInto('events').values(rows).execute();
    });
    written += count;
  }
  return total;
}
