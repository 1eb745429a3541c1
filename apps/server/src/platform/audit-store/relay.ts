import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../db/connect';
import type { AuditOutboxRow, DB } from '../db/schema';
import { withSystem, withTenant } from '../db/tenant-scope';
import { actorDigest, eventHash, GENESIS_HASH, newActorSalt } from './event';
import { type AuditDB, type AuditEventsTable, type AuditStore, appendToTenantChain } from './store';

export interface RelayOptions {
  /** Outbox rows moved per audit transaction. */
  batchSize?: number;
}

export const DEFAULT_RELAY_BATCH = 200;

/** Appends a batch to the tenant's chain, skipping events already there (a re-run after a crash). */
async function appendBatch(
  db: Kysely<AuditDB>,
  tenantId: string,
  rows: AuditOutboxRow[],
): Promise<{ appended: number; head: ChainHead }> {
  const ids = rows.map((r) => r.id);
  const present = await db.selectFrom('events').select('id').where('id', 'in', ids).execute();
  const skip = new Set(present.map((r) => r.id));
  const current = await db
    .selectFrom('events')
    .select(['id', 'seq', 'hash'])
    .where('tenant_id', '=', tenantId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let seq = Number(current?.seq ?? 0);
  let prevHash = current?.hash ?? GENESIS_HASH;
  const events: AuditEventsTable[] = [];
  for (const row of rows) {
    if (skip.has(row.id)) continue;
    seq += 1;
    const salt = newActorSalt();
    const fields = {
      id: row.id,
      tenant_id: tenantId,
      seq,
      occurred_at: row.occurred_at,
      actor_id: row.actor_id,
      actor_digest: actorDigest(salt, row.actor_email, row.actor_name),
      action: row.action,
      target_type: row.target_type,
      target_id: row.target_id,
      changes: row.changes,
      request_id: row.request_id,
      prev_hash: prevHash,
    };
    const hash = eventHash(fields);
    events.push({
      ...fields,
      actor_email: row.actor_email,
      actor_name: row.actor_name,
      actor_salt: salt,
      hash,
    });
    prevHash = hash;
  }
  if (events.length > 0) await db.insertInto('events').values(events).execute();
  const last = events[events.length - 1];
  // Every row was skipped only when it is already in the chain, so a head exists then.
  const newest = last ?? current!;
  const head = { seq: Number(newest.seq), event_id: newest.id, hash: newest.hash };
  return { appended: events.length, head };
}

interface ChainHead {
  seq: number;
  event_id: string;
  hash: string;
}

/** Anchors the chain in the main database; a head never moves backwards (a slower relay may finish last). */
async function recordChainHead(trx: Kysely<DB>, tenantId: string, head: ChainHead): Promise<void> {
  await trx
    .insertInto('audit_chain_heads')
    .values({ tenant_id: tenantId, ...head })
    .onConflict((oc) =>
      oc
        .column('tenant_id')
        .doUpdateSet((eb) => ({
          seq: eb.ref('excluded.seq'),
          event_id: eb.ref('excluded.event_id'),
          hash: eb.ref('excluded.hash'),
        }))
        .where('audit_chain_heads.seq', '<', head.seq),
    )
    .execute();
}

async function relayTenant(
  main: DatabaseHandle,
  store: AuditStore,
  tenantId: string,
  batchSize: number,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch = await withTenant(main, tenantId, (trx) =>
      trx
        .selectFrom('audit_outbox')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('id')
        .limit(batchSize)
        .execute(),
    );
    if (batch.length === 0) return moved;
    const { appended, head } = await appendToTenantChain(store, tenantId, (db) =>
      appendBatch(db, tenantId, batch),
    );
    moved += appended;
    // A crash right here leaves the rows in both places; the next run skips them by id and deletes them.
    await withTenant(main, tenantId, async (trx) => {
      await recordChainHead(trx, tenantId, head);
      await trx
        .deleteFrom('audit_outbox')
        .where('tenant_id', '=', tenantId)
        .where(
          'id',
          'in',
          batch.map((r) => r.id),
        )
        .execute();
    });
    if (batch.length < batchSize) return moved;
  }
}

/**
 * Moves every committed outbox event into the audit store, per tenant in outbox order, computing seq
 * and the chain hashes. Safe to run from several processes at once and to re-run after a crash.
 */
export async function relayAuditOutbox(
  main: DatabaseHandle,
  store: AuditStore,
  opts: RelayOptions = {},
): Promise<{ moved: number }> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_RELAY_BATCH);
  const pending = await withSystem(main, (trx) =>
    trx.selectFrom('audit_outbox').select('tenant_id').distinct().execute(),
  );
  let moved = 0;
  const errors: unknown[] = [];
  // One tenant's failure must not hold back the other tenants' history.
  for (const { tenant_id } of pending) {
    try {
      moved += await relayTenant(main, store, tenant_id, batchSize);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Audit relay failed for several tenants');
  return { moved };
}

export interface AuditRelayOptions {
  main: DatabaseHandle;
  store: AuditStore;
  /** The timer that catches anything a notification missed (another node's writes, a crash). */
  intervalMs?: number;
  /** Requests that write in a burst share one relay run. */
  debounceMs?: number;
  batchSize?: number;
  onError(err: unknown): void;
}

export interface AuditRelay {
  start(): void;
  /** A request wrote events: relay soon (debounced, fire-and-forget). */
  notify(): void;
  /** Relays now and resolves once the outbox is drained (including a run already in progress). */
  flush(): Promise<void>;
  /** Stops the timers, drains once more and resolves; leaves no timer behind. */
  stop(): Promise<void>;
}

export function createAuditRelay(options: AuditRelayOptions): AuditRelay {
  const { main, store, onError } = options;
  const intervalMs = options.intervalMs ?? 5_000;
  const debounceMs = options.debounceMs ?? 50;
  let interval: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const drain = async () => {
    do {
      again = false;
      try {
        await relayAuditOutbox(main, store, { batchSize: options.batchSize });
      } catch (err) {
        onError(err);
      }
    } while (again);
  };

  // Runs never overlap in one process; a request during a run asks for one more pass.
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    start() {
      if (interval) return;
      stopped = false;
      interval = setInterval(() => void run(), intervalMs);
      interval.unref();
    },
    notify() {
      if (debounce || stopped) return;
      debounce = setTimeout(() => {
        debounce = undefined;
        void run();
      }, debounceMs);
      debounce.unref();
    },
    flush() {
      if (debounce) clearTimeout(debounce);
      debounce = undefined;
      return run();
    },
    async stop() {
      stopped = true;
      if (interval) clearInterval(interval);
      interval = undefined;
      if (debounce) clearTimeout(debounce);
      debounce = undefined;
      await run();
    },
  };
}
