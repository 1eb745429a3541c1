import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../../../test/support/app';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../../platform/clock';
import { withTenant } from '../../platform/db/tenant-scope';
import type { Actor } from '../../platform/http/actor';
import type { Role } from '../../platform/http/permissions';
import { createRepos } from '../../repos';
import { userRef } from '../auth/access';
import { createOrganizationWithTenant } from '../tenants/tenant-service';

describe.each(databaseTargets())('Users & Roles on $name', (target) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let setActor: (a: Actor | null) => void;
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  let tenantId = '';
  let organizationId = '';
  let founderMembership = '';

  const as = (role: Role): Actor => ({
    userId: '0190a1b2-1111-7000-8000-000000000001',
    email: 'ada@example.com',
    name: 'Ada Admin',
    tenantId,
    organizationId,
    role,
    isPlatformAdmin: false,
  });

  beforeAll(async () => {
    t = await target.create();
    const repos = createRepos(t.handle);
    const created = await createOrganizationWithTenant(
      { name: 'Acme', slug: 'acme-users', clock },
      repos,
      async ({ tenant }, r) => {
        const m = await r.membershipsOf(String(tenant.id)).add(
          {
            subjectRef: userRef('0190a1b2-1111-7000-8000-000000000001'),
            email: 'ada@example.com',
            role: 'administrator',
            isGlobal: true,
            status: 'registered',
          },
          clock.now(),
        );
        founderMembership = String(m.id);
      },
    );
    tenantId = String(created.tenant.id);
    organizationId = String(created.organization.id);
    ({ app, setActor } = await buildTestApp(t.handle, { clock }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const outboxActions = () =>
    withTenant(t.handle, tenantId, (trx) => trx.selectFrom('audit_outbox').selectAll().execute()).then(
      (rows) => rows.map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>),
    );

  it('ROLE-1: an Administrator invites by e-mail; the member is Pending and the invitation is audited', async () => {
    setActor(as('administrator'));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/members',
      payload: { email: 'Grace@Example.com', role: 'operator', isGlobal: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      member: { email: 'grace@example.com', role: 'operator', status: 'pending', isGlobal: false },
      emailSent: false,
    });
    expect(res.json().invitationUrl).toMatch(/^https:\/\/.+\/sign-in$/);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/members',
      payload: { email: 'grace@example.com', role: 'viewer', isGlobal: false },
    });
    expect(again.statusCode).toBe(409);
    expect(JSON.stringify(await outboxActions())).toContain('membership.invited');
  });

  it('ROLE-1: Operators and Viewers cannot open Users & Roles', async () => {
    for (const role of ['operator', 'viewer', 'employee'] as const) {
      setActor(as(role));
      expect((await app.inject({ url: '/api/v1/members' })).statusCode).toBe(403);
      const invite = await app.inject({
        method: 'POST',
        url: '/api/v1/members',
        payload: { email: 'x@example.com', role: 'viewer', isGlobal: false },
      });
      expect(invite.statusCode).toBe(403);
    }
  });

  it('DEV-6: a role change based on a stale version is refused and changes nothing', async () => {
    setActor(as('administrator'));
    const list = (await app.inject({ url: '/api/v1/members' })).json().members;
    const grace = list.find((m: { email: string }) => m.email === 'grace@example.com');
    const first = await app.inject({
      method: 'PATCH',
      url: `/api/v1/members/${grace.id}`,
      payload: { role: 'viewer', isGlobal: false, version: grace.version },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ role: 'viewer', version: grace.version + 1 });
    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/v1/members/${grace.id}`,
      payload: { role: 'administrator', isGlobal: true, version: grace.version },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'modified_by_someone_else',
      message: 'Modified by someone else',
    });
    const after = (await app.inject({ url: '/api/v1/members' })).json().members;
    expect(after.find((m: { id: string }) => m.id === grace.id).role).toBe('viewer');
  });

  it('ROLE-1: the last Administrator cannot be demoted or removed', async () => {
    setActor(as('administrator'));
    const founder = (await app.inject({ url: '/api/v1/members' }))
      .json()
      .members.find((m: { id: string }) => m.id === founderMembership);
    const demote = await app.inject({
      method: 'PATCH',
      url: `/api/v1/members/${founderMembership}`,
      payload: { role: 'operator', isGlobal: true, version: founder.version },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toBe('The tenant needs at least one Administrator');
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/members/${founderMembership}` })).statusCode,
    ).toBe(409);
  });

  it('ROLE-1: removing access deletes only the membership, and is audited', async () => {
    setActor(as('administrator'));
    const grace = (await app.inject({ url: '/api/v1/members' }))
      .json()
      .members.find((m: { email: string }) => m.email === 'grace@example.com');
    const removed = await app.inject({ method: 'DELETE', url: `/api/v1/members/${grace.id}` });
    expect(removed.statusCode).toBe(204);
    const emails = (await app.inject({ url: '/api/v1/members' }))
      .json()
      .members.map((m: { email: string }) => m.email);
    expect(emails).toEqual(['ada@example.com']);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/members/${grace.id}` })).statusCode).toBe(404);
    const actions = JSON.stringify(await outboxActions());
    expect(actions).toContain('membership.updated');
    expect(actions).toContain('membership.removed');
  });

  it('ROLE-1: adding a tenant needs a global Administrator role', async () => {
    setActor(as('administrator'));
    const added = await app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      payload: { slug: 'acme-boston', name: 'Boston' },
    });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ slug: 'acme-boston', plan: 'free' });
    setActor({ ...as('administrator'), userId: '0190a1b2-2222-7000-8000-000000000002' });
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      payload: { slug: 'acme-x', name: 'Xenia' },
    });
    expect(refused.statusCode).toBe(403);
    setActor(as('operator'));
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/tenants',
          payload: { slug: 'acme-y', name: 'Yukon' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
