import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alex,
  createTestAuditStore,
  recordEvents,
  type TestAuditStore,
  tenantWithHistory as withHistory,
} from '../../../../../test/support/audit-store';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { findUnprotectedTenantTables } from '../db/rls';
import { ERASED, eventHash, GENESIS_HASH } from './event';
import { purgeActorPersonalData, purgeTenantAudit } from './purge';
import { listEvents } from './read';
import { relayAuditOutbox } from './relay';
import { readTenantEvents } from './store';
import { verifyAuditChain } from './verify';

describe.each(databaseTargets())('audit store on $name', (target) => {
  let t: TestDatabase;
  let audit: TestAuditStore;
  const tenantWithHistory = (count: number) => withHistory(t, audit, count);
  const verify = (tenantId: string) => verifyAuditChain(audit.store, tenantId, { main: t.handle });
  const eventAt = async (tenantId: string, seq: number) =>
    (await listEvents(audit.store, tenantId, { before: seq + 1, limit: 1 })).events[0]!;

  beforeAll(async () => {
    t = await target.create();
    audit = await createTestAuditStore(t);
  });
  afterAll(async () => {
    await audit?.close();
    await t?.close();
  });

  it('SEC-7: each tenant gets its own hash chain, numbered from 1, that verifies', async () => {
    const a = await tenantWithHistory(3);
    const b = await tenantWithHistory(2);
    expect(await verify(a)).toEqual({ ok: true, count: 3 });
    expect(await verify(b)).toEqual({ ok: true, count: 2 });

    const { events } = await listEvents(audit.store, a, { limit: 10 });
    expect(events.map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(events[2]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[2]!.hash);
    expect(events[0]!.prevHash).toBe(events[1]!.hash);
    expect(events[0]).toMatchObject({
      tenantId: a,
      occurredAt: '2026-02-09T12:00:00.000Z',
      actor: alex,
      actorErased: false,
      action: 'device.updated',
      target: { type: 'device', id: 'device-2' },
      changes: [{ field: 'name', before: 'Laptop 2', after: 'Laptop 3' }],
      requestId: 'req-2',
    });
    expect(events[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('SEC-7: the history of one target pages newest first by keyset', async () => {
    const tenant = await tenantWithHistory(0);
    for (let i = 0; i < 5; i++) {
      await recordEvents(t.handle, tenant, 1, { target: { type: 'device', id: 'laptop-1' } });
      await recordEvents(t.handle, tenant, 1, { target: { type: 'device', id: 'laptop-2' } });
    }
    await relayAuditOutbox(t.handle, audit.store);
    const query = { targetType: 'device', targetId: 'laptop-1', limit: 2 };
    const first = await listEvents(audit.store, tenant, query);
    expect(first.events.map((e) => e.seq)).toEqual([9, 7]);
    const second = await listEvents(audit.store, tenant, { ...query, before: first.nextBefore! });
    expect(second.events.map((e) => e.seq)).toEqual([5, 3]);
    const last = await listEvents(audit.store, tenant, { ...query, before: second.nextBefore! });
    expect(last).toMatchObject({ events: [{ seq: 1 }], nextBefore: null });
  });

  it('SEC-7: the app cannot update or delete stored events (append-only)', async () => {
    const tenant = await tenantWithHistory(2);
    const change = sql`update ${sql.table(t.name === 'postgres' ? 'audit.events' : 'events')} set action = 'forged' where tenant_id = ${tenant}`;
    const remove = sql`delete from ${sql.table(t.name === 'postgres' ? 'audit.events' : 'events')} where tenant_id = ${tenant}`;
    if (t.name === 'postgres') {
      // The app role, even inside its own tenant scope, holds no UPDATE or DELETE on the audit schema.
      for (const statement of [change, remove]) {
        await expect(
          readTenantEvents(audit.store, tenant, (db) => statement.execute(db)),
        ).rejects.toMatchObject({ code: '42501' });
      }
    } else {
      for (const statement of [change, remove]) {
        await expect(statement.execute(audit.store.db)).rejects.toThrow('audit events are append-only');
      }
    }
    expect(await verify(tenant)).toEqual({ ok: true, count: 2 });
    expect((await eventAt(tenant, 2)).action).toBe('device.updated');
  });

  it('SEC-7: purging a tenant removes its whole history and nothing of other tenants', async () => {
    const kept = await tenantWithHistory(3);
    const purged = await tenantWithHistory(4);
    expect(await purgeTenantAudit(audit.store, purged, { main: t.handle })).toEqual({ removed: 4 });
    expect(await verify(purged)).toEqual({ ok: true, count: 0 });
    expect((await listEvents(audit.store, purged, { limit: 10 })).events).toEqual([]);
    expect(await verify(kept)).toEqual({ ok: true, count: 3 });

    // The purge's permission ended with it: a plain delete is refused again.
    if (t.name === 'sqlite') {
      await expect(sql`delete from events where tenant_id = ${kept}`.execute(audit.store.db)).rejects.toThrow(
        'append-only',
      );
      expect(await audit.store.db.selectFrom('purge_authorizations').selectAll().execute()).toEqual([]);
    }
    // A new chain for the purged tenant starts again at 1 and verifies.
    await recordEvents(t.handle, purged, 2);
    await relayAuditOutbox(t.handle, audit.store);
    expect(await verify(purged)).toEqual({ ok: true, count: 2 });
  });

  it('SEC-7: erasing an actor leaves tombstones everywhere and every chain still verifies', async () => {
    const erin = { id: 'user-erin', email: 'erin.canary@example.com', name: 'Erin Canary' };
    const a = await tenantWithHistory(1);
    const b = await tenantWithHistory(0);
    await recordEvents(t.handle, a, 2, { actor: erin });
    await recordEvents(t.handle, b, 1, { actor: erin });
    await relayAuditOutbox(t.handle, audit.store);

    expect(await purgeActorPersonalData(audit.store, erin.id)).toEqual({ erased: 3 });
    const events = [
      ...(await listEvents(audit.store, a, { limit: 10 })).events,
      ...(await listEvents(audit.store, b, { limit: 10 })).events,
    ];
    expect(events.filter((e) => e.actorErased).map((e) => e.actor)).toEqual(
      Array(3).fill({ id: erin.id, email: ERASED, name: ERASED }),
    );
    expect(events.filter((e) => !e.actorErased).map((e) => e.actor)).toEqual([alex]);
    expect(await verify(a)).toEqual({ ok: true, count: 3 });
    expect(await verify(b)).toEqual({ ok: true, count: 1 });
    expect(await purgeActorPersonalData(audit.store, erin.id)).toEqual({ erased: 0 });

    if (audit.file) {
      for (const file of [audit.file, `${audit.file}-wal`]) {
        if (!fs.existsSync(file)) continue;
        const bytes = fs.readFileSync(file);
        expect(bytes.includes('erin.canary@example.com'), file).toBe(false);
        expect(bytes.includes('Erin Canary'), file).toBe(false);
      }
    }
  });

  it('SEC-7: verify names the event whose stored content was changed', async () => {
    const tenant = await tenantWithHistory(4);
    const second = await eventAt(tenant, 2);
    await audit.tamper((db) =>
      db.updateTable('events').set({ action: 'device.deleted' }).where('id', '=', second.id).execute(),
    );
    expect(await verify(tenant)).toEqual({
      ok: false,
      brokenAt: { seq: 2, eventId: second.id, reason: 'hash_mismatch' },
    });
  });

  it('SEC-7: a changed actor e-mail or before/after value is detected', async () => {
    const tenant = await tenantWithHistory(3);
    const first = await eventAt(tenant, 1);
    await audit.tamper((db) =>
      db
        .updateTable('events')
        .set({ actor_email: 'someone@else.example' })
        .where('id', '=', first.id)
        .execute(),
    );
    expect(await verify(tenant)).toMatchObject({ ok: false, brokenAt: { seq: 1, reason: 'hash_mismatch' } });

    const other = await tenantWithHistory(3);
    const third = await eventAt(other, 3);
    await audit.tamper((db) =>
      db
        .updateTable('events')
        .set({ changes: '[{"after":"Laptop 9","before":"Laptop 2","field":"name"}]' })
        .where('id', '=', third.id)
        .execute(),
    );
    expect(await verify(other)).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: 'hash_mismatch' } });
  });

  it('SEC-7: an event changed and re-hashed breaks the link to the next one', async () => {
    const tenant = await tenantWithHistory(4);
    await audit.tamper(async (db) => {
      const row = await db
        .selectFrom('events')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where('seq', '=', 2)
        .executeTakeFirstOrThrow();
      const forged = { ...row, seq: Number(row.seq), action: 'device.created' };
      await db
        .updateTable('events')
        .set({ action: forged.action, hash: eventHash(forged) })
        .where('id', '=', row.id)
        .execute();
    });
    expect(await verify(tenant)).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, reason: 'prev_hash_mismatch' },
    });
  });

  it('SEC-7: a deleted middle event is detected, with or without renumbering', async () => {
    const gap = await tenantWithHistory(5);
    const fourth = await eventAt(gap, 4);
    await audit.tamper((db) =>
      db.deleteFrom('events').where('tenant_id', '=', gap).where('seq', '=', 3).execute(),
    );
    expect(await verify(gap)).toEqual({
      ok: false,
      brokenAt: { seq: 4, eventId: fourth.id, reason: 'sequence_gap' },
    });

    const renumbered = await tenantWithHistory(5);
    await audit.tamper(async (db) => {
      await db.deleteFrom('events').where('tenant_id', '=', renumbered).where('seq', '=', 3).execute();
      for (const seq of [4, 5]) {
        await db
          .updateTable('events')
          .set({ seq: seq - 1 })
          .where('tenant_id', '=', renumbered)
          .where('seq', '=', seq)
          .execute();
      }
    });
    expect(await verify(renumbered)).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, reason: 'prev_hash_mismatch' },
    });
  });

  it('SEC-7: reordered events are detected', async () => {
    const tenant = await tenantWithHistory(4);
    const [second, third] = [await eventAt(tenant, 2), await eventAt(tenant, 3)];
    await audit.tamper(async (db) => {
      await db.updateTable('events').set({ seq: -1 }).where('id', '=', second.id).execute();
      await db.updateTable('events').set({ seq: 2 }).where('id', '=', third.id).execute();
      await db.updateTable('events').set({ seq: 3 }).where('id', '=', second.id).execute();
    });
    expect(await verify(tenant)).toEqual({
      ok: false,
      brokenAt: { seq: 2, eventId: third.id, reason: 'prev_hash_mismatch' },
    });
  });

  it('SEC-7: events cut off the end of a chain are detected against the head kept in the main database', async () => {
    const tenant = await tenantWithHistory(4);
    const newest = await eventAt(tenant, 4);
    await audit.tamper((db) =>
      db.deleteFrom('events').where('tenant_id', '=', tenant).where('seq', '>=', 3).execute(),
    );
    // Alone, the shorter chain is internally consistent; the anchor is what tells.
    expect(await verifyAuditChain(audit.store, tenant)).toEqual({ ok: true, count: 2 });
    expect(await verify(tenant)).toEqual({
      ok: false,
      brokenAt: { seq: 4, eventId: newest.id, reason: 'sequence_gap' },
    });
  });

  it('SEC-7: verify walks a long chain in batches and finds a break beyond the first batch', async () => {
    const tenant = await tenantWithHistory(25);
    expect(await verifyAuditChain(audit.store, tenant, { main: t.handle, batchSize: 4 })).toEqual({
      ok: true,
      count: 25,
    });
    const twentieth = await eventAt(tenant, 20);
    await audit.tamper((db) =>
      db.updateTable('events').set({ target_id: 'device-x' }).where('id', '=', twentieth.id).execute(),
    );
    expect(await verifyAuditChain(audit.store, tenant, { batchSize: 4 })).toMatchObject({
      ok: false,
      brokenAt: { seq: 20, reason: 'hash_mismatch' },
    });
  });
});

describe.each(databaseTargets().filter((x) => x.name === 'postgres'))(
  'audit schema roles on $name',
  (target) => {
    let t: TestDatabase;
    let audit: TestAuditStore;
    const tenantWithHistory = (count: number) => withHistory(t, audit, count);
    beforeAll(async () => {
      t = await target.create();
      audit = await createTestAuditStore(t);
    });
    afterAll(async () => {
      await audit?.close();
      await t?.close();
    });

    it('SEC-7: on PostgreSQL the app role holds only INSERT and SELECT on audit.events, under row-level security', async () => {
      const { rows } = await sql<Record<string, boolean>>`
        select has_table_privilege(current_user, 'audit.events', 'INSERT') as insert,
               has_table_privilege(current_user, 'audit.events', 'SELECT') as select,
               has_table_privilege(current_user, 'audit.events', 'UPDATE') as update,
               has_table_privilege(current_user, 'audit.events', 'DELETE') as delete,
               has_table_privilege(current_user, 'audit.events', 'TRUNCATE') as truncate`.execute(
        t.handle.db,
      );
      expect(rows[0]).toEqual({ insert: true, select: true, update: false, delete: false, truncate: false });
      expect(await findUnprotectedTenantTables(t.ownerHandle.db, 'audit')).toEqual([]);

      const a = await tenantWithHistory(2);
      await tenantWithHistory(3);
      // No tenant filter in the query: row-level security alone keeps the other tenant's events out.
      const visible = await readTenantEvents(audit.store, a, (db) =>
        db.selectFrom('events').select('tenant_id').execute(),
      );
      expect(visible.map((r) => r.tenant_id)).toEqual([a, a]);
    });
  },
);
