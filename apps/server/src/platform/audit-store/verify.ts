import type { DatabaseHandle } from '../db/connect';
import { withTenant } from '../db/tenant-scope';
import { actorDigest, ERASED, eventHash, GENESIS_HASH } from './event';
import { type AuditEventsTable, type AuditStore, readTenantEvents } from './store';

export type ChainBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';

export type AuditVerification =
  | { ok: true; count: number }
  | { ok: false; brokenAt: { seq: number; eventId: string; reason: ChainBreakReason } };

/** The e-mail and name match the digest the chain covers, or were erased on request (salt gone, tombstones). */
function personalDataIntact(row: AuditEventsTable): boolean {
  if (row.actor_salt === null) return row.actor_email === ERASED && row.actor_name === ERASED;
  return actorDigest(row.actor_salt, row.actor_email, row.actor_name) === row.actor_digest;
}

function firstProblem(row: AuditEventsTable, expectedSeq: number, prevHash: string): ChainBreakReason | null {
  if (Number(row.seq) !== expectedSeq) return 'sequence_gap';
  if (row.prev_hash !== prevHash) return 'prev_hash_mismatch';
  if (!personalDataIntact(row)) return 'hash_mismatch';
  if (eventHash({ ...row, seq: Number(row.seq) }) !== row.hash) return 'hash_mismatch';
  return null;
}

export interface VerifyOptions {
  /** The main database: the chain must reach the head the relay recorded there (no events cut off the end). */
  main?: DatabaseHandle;
  batchSize?: number;
}

/**
 * Walks a tenant's chain in seq order (keyset batches, so memory stays flat) and reports the first
 * broken link: a changed event, a removed or reordered one, a gap in the numbering, a cut-off end.
 */
export async function verifyAuditChain(
  store: AuditStore,
  tenantId: string,
  opts: VerifyOptions = {},
): Promise<AuditVerification> {
  const batchSize = Math.max(1, opts.batchSize ?? 1_000);
  const tenant = tenantId.toLowerCase();
  const main = opts.main;
  const anchor = main
    ? await withTenant(main, tenant, (trx) =>
        trx.selectFrom('audit_chain_heads').selectAll().where('tenant_id', '=', tenant).executeTakeFirst(),
      )
    : undefined;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let after = 0;
  for (;;) {
    const rows = await readTenantEvents(store, tenant, (db) =>
      db
        .selectFrom('events')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize)
        .execute(),
    );
    for (const row of rows) {
      let reason = firstProblem(row, expectedSeq, prevHash);
      // A consistent chain whose newest events were rewritten still differs from the anchored head.
      if (!reason && anchor && anchor.seq === Number(row.seq) && anchor.hash !== row.hash) {
        reason = 'hash_mismatch';
      }
      if (reason) return { ok: false, brokenAt: { seq: Number(row.seq), eventId: row.id, reason } };
      prevHash = row.hash;
      expectedSeq += 1;
      after = Number(row.seq);
    }
    if (rows.length < batchSize) break;
  }
  const count = expectedSeq - 1;
  if (anchor && anchor.seq > count) {
    return { ok: false, brokenAt: { seq: anchor.seq, eventId: anchor.event_id, reason: 'sequence_gap' } };
  }
  return { ok: true, count };
}
