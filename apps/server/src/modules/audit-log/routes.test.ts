import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../../../test/support/app';
import {
  createTestAuditStore,
  type TestAuditStore,
  tenantWithHistory,
} from '../../../../../test/support/audit-store';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../../platform/clock';
import type { Actor } from '../../platform/http/actor';
import type { Role } from '../../platform/http/permissions';
import { relayAfterWrites } from './relay-hook';

const VERIFY_URL = '/api/v1/audit-log/verify';

describe.each(databaseTargets())('audit log routes on $name', (target) => {
  let t: TestDatabase;
  let audit: TestAuditStore;
  let app: FastifyInstance;
  let actor: Actor | null = null;
  const tenants = { clean: '', tampered: '' };
  let tamperedEvent = '';
  const clock = new ManualClock('2026-02-09T12:00:00.000Z');

  const as = (role: Role, tenantId: string): Actor => ({
    userId: 'u-1',
    email: 'alex@example.com',
    name: 'Alex Admin',
    tenantId,
    organizationId: '0190a1b2-0000-7000-8000-000000000000',
    role,
    isPlatformAdmin: false,
  });

  beforeAll(async () => {
    t = await target.create();
    audit = await createTestAuditStore(t);
    tenants.clean = await tenantWithHistory(t, audit, 3);
    tenants.tampered = await tenantWithHistory(t, audit, 3);
    ({ app } = await buildTestApp(t.handle, {
      clock,
      auditStore: audit.store,
      resolveActor: async () => actor,
    }));
  });
  afterAll(async () => {
    await app?.close();
    await audit?.close();
    await t?.close();
  });

  it('SEC-7: an administrator sees that an untouched chain verifies', async () => {
    actor = as('administrator', tenants.clean);
    const res = await app.inject({ url: VERIFY_URL });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, count: 3 });
  });

  it('SEC-7: after tampering the administrator is told the first broken link, in their tenant only', async () => {
    await audit.tamper(async (db) => {
      const row = await db
        .selectFrom('events')
        .select('id')
        .where('tenant_id', '=', tenants.tampered)
        .where('seq', '=', 2)
        .executeTakeFirstOrThrow();
      tamperedEvent = row.id;
      await db.updateTable('events').set({ target_id: 'another-device' }).where('id', '=', row.id).execute();
    });
    actor = as('administrator', tenants.tampered);
    const broken = await app.inject({ url: VERIFY_URL });
    expect(broken.statusCode).toBe(200);
    expect(broken.json()).toEqual({
      ok: false,
      brokenAt: { seq: 2, eventId: tamperedEvent, reason: 'hash_mismatch' },
    });
    actor = as('administrator', tenants.clean);
    expect((await app.inject({ url: VERIFY_URL })).json()).toEqual({ ok: true, count: 3 });
  });

  it('ROLE-1: operators and viewers may not verify the audit log (403), anonymous callers get 401', async () => {
    for (const role of ['operator', 'viewer'] as const) {
      actor = as(role, tenants.clean);
      const res = await app.inject({ url: VERIFY_URL });
      expect(res.statusCode, role).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    actor = null;
    expect((await app.inject({ url: VERIFY_URL })).statusCode).toBe(401);
  });
});

describe('audit relay hook', () => {
  it('SEC-7: a state-changing request nudges the audit relay, a read does not', async () => {
    let notified = 0;
    const app = Fastify();
    relayAfterWrites(app, { notify: () => notified++ });
    app.get('/things', async () => ({ ok: true }));
    app.post('/things', async () => ({ ok: true }));
    try {
      await app.inject({ url: '/things' });
      expect(notified).toBe(0);
      await app.inject({ method: 'POST', url: '/things', payload: {} });
      await app.inject({ method: 'DELETE', url: '/no-such-thing' });
      expect(notified).toBe(2);
    } finally {
      await app.close();
    }
  });
});
