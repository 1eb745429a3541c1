import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  alex,
  createTestAuditStore,
  recordEvents,
  type TestAuditStore,
  tenantWithHistory as withHistory,
} from '../../../../../test/support/audit-store';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { newId } from '../db/ids';
import { withTenant } from '../db/tenant-scope';
import { recordAuditEvent } from './outbox';
import { listEvents } from './read';
import { createAuditRelay, relayAuditOutbox } from './relay';
import { verifyAuditChain } from './verify';

describe.each(databaseTargets())('audit outbox and relay on $name', (target) => {
  let t: TestDatabase;
  let audit: TestAuditStore;
  const tenantWithHistory = (count: number) => withHistory(t, audit, count);
  const verify = (tenantId: string) => verifyAuditChain(audit.store, tenantId, { main: t.handle });
  const outboxOf = (tenantId: string) =>
    withTenant(t.handle, tenantId, (trx) =>
      trx.selectFrom('audit_outbox').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute(),
    );

  /** A change (a new membership) and its event in one transaction, as a service writes them. */
  const inviteMember = (tenantId: string, email: string, fail = false) =>
    withTenant(t.handle, tenantId, async (trx) => {
      const tenant = await trx
        .selectFrom('tenants')
        .selectAll()
        .where('id', '=', tenantId)
        .executeTakeFirstOrThrow();
      const id = newId();
      const now = '2026-02-09T12:00:00.000Z';
      await trx
        .insertInto('memberships')
        .values({
          id,
          tenant_id: tenantId,
          organization_id: tenant.organization_id,
          subject_ref: `pending:${email}`,
          email,
          role: 'viewer',
          is_global: 0,
          status: 'pending',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAuditEvent(trx, {
        tenantId,
        occurredAt: new Date(now),
        actor: alex,
        action: 'membership.invited',
        target: { type: 'membership', id },
        changes: [{ field: 'role', before: null, after: 'viewer' }],
        requestId: 'req-invite',
      });
      if (fail) throw new Error('the rest of the work failed');
      return id;
    });

  const membershipIds = (tenantId: string) =>
    withTenant(t.handle, tenantId, (trx) =>
      trx.selectFrom('memberships').select('id').where('tenant_id', '=', tenantId).execute(),
    ).then((rows) => rows.map((r) => r.id));

  beforeAll(async () => {
    t = await target.create();
    audit = await createTestAuditStore(t);
  });
  afterAll(async () => {
    await audit?.close();
    await t?.close();
  });

  it('SEC-7: a change and its event commit together and the relay moves the event into the chain', async () => {
    const tenant = await tenantWithHistory(0);
    const membership = await inviteMember(tenant, 'new.member@example.com');
    expect(await outboxOf(tenant)).toHaveLength(1);
    expect(await relayAuditOutbox(t.handle, audit.store)).toEqual({ moved: 1 });
    expect(await outboxOf(tenant)).toEqual([]);
    const { events } = await listEvents(audit.store, tenant, { targetType: 'membership', limit: 5 });
    expect(events).toMatchObject([
      { seq: 1, action: 'membership.invited', target: { type: 'membership', id: membership }, actor: alex },
    ]);
    expect(await membershipIds(tenant)).toEqual([membership]);
    expect(await verify(tenant)).toEqual({ ok: true, count: 1 });
  });

  it('SEC-7: a failing transaction leaves neither the change nor its event', async () => {
    const tenant = await tenantWithHistory(0);
    await expect(inviteMember(tenant, 'never@example.com', true)).rejects.toThrow(
      'the rest of the work failed',
    );
    expect(await membershipIds(tenant)).toEqual([]);
    expect(await outboxOf(tenant)).toEqual([]);
    await relayAuditOutbox(t.handle, audit.store);
    expect(await verify(tenant)).toEqual({ ok: true, count: 0 });
  });

  it('SEC-7: a relay re-run after a crash between the audit insert and the outbox delete adds no duplicate', async () => {
    const tenant = await tenantWithHistory(2);
    await recordEvents(t.handle, tenant, 3);
    const pending = await outboxOf(tenant);
    expect(await relayAuditOutbox(t.handle, audit.store)).toEqual({ moved: 3 });
    // The crash: the events reached the audit store but the outbox rows were never deleted.
    await withTenant(t.handle, tenant, (trx) => trx.insertInto('audit_outbox').values(pending).execute());
    expect(await relayAuditOutbox(t.handle, audit.store)).toEqual({ moved: 0 });
    expect(await relayAuditOutbox(t.handle, audit.store)).toEqual({ moved: 0 });
    expect(await outboxOf(tenant)).toEqual([]);
    const { events } = await listEvents(audit.store, tenant, { limit: 10 });
    expect(events.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
    expect(await verify(tenant)).toEqual({ ok: true, count: 5 });
  });

  it('SEC-7: events keep their outbox order across batches, and relays running at once never fork a chain', async () => {
    const tenant = await tenantWithHistory(0);
    const ids = await recordEvents(t.handle, tenant, 30);
    const runs = await Promise.all([
      relayAuditOutbox(t.handle, audit.store, { batchSize: 4 }),
      relayAuditOutbox(t.handle, audit.store, { batchSize: 7 }),
      relayAuditOutbox(t.handle, audit.store, { batchSize: 30 }),
    ]);
    expect(runs.reduce((sum, r) => sum + r.moved, 0)).toBe(30);
    const { events } = await listEvents(audit.store, tenant, { limit: 100 });
    expect(events.map((e) => e.id).reverse()).toEqual(ids);
    expect(await verify(tenant)).toEqual({ ok: true, count: 30 });
  });

  it('SEC-7: the relay runner moves events soon after a write, drains on flush and stops cleanly', async () => {
    const tenant = await tenantWithHistory(0);
    const errors: unknown[] = [];
    const relay = createAuditRelay({
      main: t.handle,
      store: audit.store,
      intervalMs: 60_000,
      debounceMs: 5,
      onError: (err) => errors.push(err),
    });
    relay.start();
    try {
      await recordEvents(t.handle, tenant, 2);
      relay.notify();
      await vi.waitFor(async () => expect(await outboxOf(tenant)).toEqual([]), { timeout: 5_000 });
      expect(await verify(tenant)).toEqual({ ok: true, count: 2 });

      await recordEvents(t.handle, tenant, 3);
      await Promise.all([relay.flush(), relay.flush()]);
      expect(await outboxOf(tenant)).toEqual([]);
      expect(await verify(tenant)).toEqual({ ok: true, count: 5 });
    } finally {
      await relay.stop();
    }
    // After stop a notification starts nothing.
    await recordEvents(t.handle, tenant, 1);
    relay.notify();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await outboxOf(tenant)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('SEC-7: an event with no tenant, time or action is refused before anything is written', async () => {
    const tenant = await tenantWithHistory(0);
    const valid = {
      tenantId: tenant,
      occurredAt: new Date('2026-02-09T12:00:00.000Z'),
      actor: alex,
      action: 'device.updated',
      target: { type: 'device', id: 'd-1' },
      changes: [],
      requestId: null,
    };
    for (const broken of [
      { ...valid, tenantId: 'not-a-tenant' },
      { ...valid, occurredAt: new Date('nonsense') },
      { ...valid, action: '' },
    ]) {
      await expect(withTenant(t.handle, tenant, (trx) => recordAuditEvent(trx, broken))).rejects.toThrow(
        /Audit event/,
      );
    }
    expect(await outboxOf(tenant)).toEqual([]);
  });
});
