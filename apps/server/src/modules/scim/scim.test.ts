import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { DAY_MS, ManualClock } from '../../platform/clock';
import { withSystem, withTenant } from '../../platform/db/tenant-scope';
import type { Actor } from '../../platform/http/actor';
import { createRepos } from '../../repos';
import { createOrganizationWithTenant } from '../tenants/tenant-service';
import { PUBLIC_ORIGIN, type ScimHarness, startScimHarness } from './scim-test-harness';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe.each(databaseTargets())('SCIM 2.0 provisioning on $name', (target) => {
  let t: TestDatabase;
  let h: ScimHarness;
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const tenants: Record<'acme' | 'globex' | 'free', { id: string; organizationId: string; slug: string }> =
    {} as never;
  const tokens: Record<string, string> = {};

  const adminOf = (which: keyof typeof tenants): Actor => ({
    userId: '0190a1b2-1111-7000-8000-000000000001',
    email: 'ada@example.com',
    name: 'Ada Admin',
    tenantId: tenants[which].id,
    organizationId: tenants[which].organizationId,
    role: 'administrator',
    isPlatformAdmin: false,
  });

  const generate = async (which: keyof typeof tenants) => {
    h.setActor(adminOf(which));
    return h.app.inject({ method: 'POST', url: '/api/v1/scim/token' });
  };

  const scim = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    options: { slug?: string; token?: string } = {},
  ): Promise<LightMyRequestResponse> =>
    h.app.inject({
      method,
      url: `/api/${options.slug ?? tenants.acme.slug}/scim/v2${path}`,
      headers: {
        authorization: `Bearer ${options.token ?? tokens.acme}`,
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  const expectScimError = (res: LightMyRequestResponse, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.json()).toMatchObject({ schemas: [ERROR], status: String(status) });
    expect(typeof res.json().detail).toBe('string');
  };

  beforeAll(async () => {
    t = await target.create();
    const repos = createRepos(t.handle);
    const suffix = Math.random().toString(36).slice(2, 8);
    for (const which of ['acme', 'globex', 'free'] as const) {
      const created = await createOrganizationWithTenant(
        { name: which, slug: `${which}-scim-${suffix}`, clock },
        repos,
      );
      tenants[which] = {
        id: String(created.tenant.id),
        organizationId: String(created.organization.id),
        slug: String(created.tenant.slug),
      };
    }
    await withSystem(t.handle, async (trx) => {
      await trx
        .updateTable('tenants')
        .set({ plan: 'enterprise' })
        .where('id', 'in', [tenants.acme.id, tenants.globex.id])
        .execute();
      // The Free tenant's trial is over.
      await trx
        .updateTable('tenants')
        .set({ plan: 'free', trial_ends_at: new Date(clock.now().getTime() - DAY_MS).toISOString() })
        .where('id', '=', tenants.free.id)
        .execute();
    });
    h = await startScimHarness(t, clock);
    for (const which of ['acme', 'globex'] as const) {
      const res = await generate(which);
      expect(res.statusCode).toBe(200);
      tokens[which] = res.json().token;
    }
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it('DIR-4: the token is shown once, only its SHA-256 is stored, and regenerating invalidates the old one', async () => {
    const first = await generate('acme');
    expect(first.statusCode).toBe(200);
    const { token, scimBaseUrl } = first.json();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(scimBaseUrl).toBe(`${PUBLIC_ORIGIN}/api/${tenants.acme.slug}/scim/v2`);

    const rows = await withTenant(t.handle, tenants.acme.id, (trx) =>
      trx.selectFrom('scim_tokens').selectAll().where('tenant_id', '=', tenants.acme.id).execute(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);

    const status = await h.app.inject({ method: 'GET', url: '/api/v1/scim/token' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ exists: true, createdAt: rows[0]!.created_at });
    expect(status.body).not.toContain(token);

    const audit = await withTenant(t.handle, tenants.acme.id, (trx) =>
      trx.selectFrom('audit_outbox').selectAll().execute(),
    );
    expect(JSON.stringify(audit)).toContain('scim.token_regenerated');
    expect(JSON.stringify(audit)).not.toContain(token);

    expect((await scim('GET', '/ServiceProviderConfig', undefined, { token })).statusCode).toBe(200);
    const second = (await generate('acme')).json().token as string;
    expectScimError(await scim('GET', '/Users', undefined, { token }), 401);
    expect((await scim('GET', '/Users', undefined, { token: second })).statusCode).toBe(200);
    tokens.acme = second;
    const used = await h.app.inject({ method: 'GET', url: '/api/v1/scim/token' });
    expect(used.json().lastUsedAt).toBe(clock.now().toISOString());
  });

  it('DIR-4: a wrong token, another tenant’s token, no token and an unknown tenant all get a SCIM 401', async () => {
    expectScimError(await scim('GET', '/Users', undefined, { token: 'not-the-token' }), 401);
    expectScimError(await scim('GET', '/Users', undefined, { token: tokens.globex }), 401);
    expectScimError(await scim('GET', '/Users', undefined, { slug: tenants.globex.slug }), 401);
    expectScimError(await scim('GET', '/Users', undefined, { slug: 'no-such-tenant' }), 401);
    const bare = await h.app.inject({ method: 'GET', url: `/api/${tenants.acme.slug}/scim/v2/Users` });
    expectScimError(bare, 401);
    expect(
      (await scim('GET', '/Users', undefined, { slug: tenants.globex.slug, token: tokens.globex }))
        .statusCode,
    ).toBe(200);
  });

  it('DIR-4: a Free tenant after its trial cannot create a token (feature_not_in_plan)', async () => {
    const res = await generate('free');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('feature_not_in_plan');
    const rows = await withTenant(t.handle, tenants.free.id, (trx) =>
      trx.selectFrom('scim_tokens').selectAll().where('tenant_id', '=', tenants.free.id).execute(),
    );
    expect(rows).toHaveLength(0);
  });

  it('DIR-4: a token is revoked with DELETE; the endpoint then answers 401', async () => {
    const token = (await generate('globex')).json().token as string;
    expect((await scim('GET', '/Users', undefined, { slug: tenants.globex.slug, token })).statusCode).toBe(
      200,
    );
    h.setActor(adminOf('globex'));
    const revoked = await h.app.inject({ method: 'DELETE', url: '/api/v1/scim/token' });
    expect(revoked.json()).toEqual({ exists: false, createdAt: null, lastUsedAt: null });
    expectScimError(await scim('GET', '/Users', undefined, { slug: tenants.globex.slug, token }), 401);
    h.setActor({ ...adminOf('globex'), role: 'operator' });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/scim/token' })).statusCode).toBe(403);
  });

  it('DIR-4: discovery documents — ServiceProviderConfig, Schemas, ResourceTypes', async () => {
    const spc = await scim('GET', '/ServiceProviderConfig');
    expect(spc.statusCode).toBe(200);
    expect(spc.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(spc.json()).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      bulk: { supported: false },
      meta: { resourceType: 'ServiceProviderConfig' },
    });
    const schemas = (await scim('GET', '/Schemas')).json();
    expect(schemas.schemas).toEqual([LIST]);
    expect(schemas.Resources.map((s: { id: string }) => s.id)).toContain(USER);
    const types = (await scim('GET', '/ResourceTypes')).json();
    expect(types.Resources.map((r: { endpoint: string }) => r.endpoint)).toEqual(['/Users', '/Groups']);
    expect(
      (await scim('GET', `/Schemas/${USER}`)).json().attributes.map((a: { name: string }) => a.name),
    ).toEqual(['userName', 'name', 'displayName', 'title', 'active', 'externalId']);
  });

  it('DIR-4: conformance — create, get by filter, PATCH the way Entra does, PUT, DELETE', async () => {
    // Entra: is the user there? (not yet)
    const missing = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "grace@contoso.example"')}`,
    );
    expect(missing.json()).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });

    const created = await scim('POST', '/Users', {
      schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: '7c1a7a5e-0000-4000-8000-00000000abcd',
      userName: 'grace@contoso.example',
      active: true,
      displayName: 'Grace Hopper',
      title: 'Rear Admiral',
      name: { givenName: 'Grace', familyName: 'Hopper', formatted: 'Grace Hopper' },
      emails: [{ primary: true, type: 'work', value: 'grace@contoso.example' }],
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user.id).toMatch(/^[0-9a-f]{64}$/);
    expect(created.headers.location).toBe(
      `${PUBLIC_ORIGIN}/api/${tenants.acme.slug}/scim/v2/Users/${user.id}`,
    );
    expect(user).toEqual({
      schemas: [USER],
      id: user.id,
      externalId: '7c1a7a5e-0000-4000-8000-00000000abcd',
      userName: 'grace@contoso.example',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      displayName: 'Grace Hopper',
      title: 'Rear Admiral',
      active: true,
      meta: { resourceType: 'User', location: created.headers.location },
    });
    expectScimError(
      await scim('POST', '/Users', { schemas: [USER], userName: 'GRACE@contoso.example' }),
      409,
    );

    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "Grace@Contoso.example"')}`,
    );
    expect(found.json()).toMatchObject({ schemas: [LIST], totalResults: 1, itemsPerPage: 1, startIndex: 1 });
    expect(found.json().Resources[0].id).toBe(user.id);

    // Entra: replace with capitalised ops, a path-less object value with dotted keys, and "False".
    const patched = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'title', value: 'Commodore' },
        { op: 'Replace', value: { 'name.givenName': 'Amazing Grace', displayName: 'Amazing Grace Hopper' } },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
      ],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      title: 'Commodore',
      name: { givenName: 'Amazing Grace', familyName: 'Hopper' },
      displayName: 'Amazing Grace Hopper',
      active: true,
      meta: { resourceType: 'User' },
    });
    expect(patched.body).not.toContain('+1 555');
    expect(patched.json().phoneNumbers).toBeUndefined();

    const deactivated = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(deactivated.json().active).toBe(false);
    const cached = await h.directoryCache.lookup(tenants.acme.organizationId, [user.id]);
    expect(cached.get(user.id)?.active).toBe(false);

    const put = await scim('PUT', `/Users/${user.id}`, {
      schemas: [USER],
      externalId: '7c1a7a5e-0000-4000-8000-00000000abcd',
      userName: 'grace.hopper@contoso.example',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      active: true,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({
      schemas: [USER],
      id: user.id,
      externalId: '7c1a7a5e-0000-4000-8000-00000000abcd',
      userName: 'grace.hopper@contoso.example',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      active: true,
      meta: { resourceType: 'User', location: created.headers.location },
    });
    expect((await scim('GET', `/Users/${user.id}`)).json().userName).toBe('grace.hopper@contoso.example');

    const deleted = await scim('DELETE', `/Users/${user.id}`);
    expect(deleted.statusCode).toBe(204);
    expectScimError(await scim('GET', `/Users/${user.id}`), 404);
    expect((await h.directoryCache.lookup(tenants.acme.organizationId, [user.id])).size).toBe(0);
    expectScimError(await scim('GET', `/Users?filter=${encodeURIComponent('title eq "x"')}`), 400);
  });

  it('DIR-4: Okta-style listing pages with startIndex and count', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await scim('POST', '/Users', {
        schemas: [USER],
        userName: `pager${i}@okta.example`,
        name: { givenName: `Pager${i}`, familyName: 'Okta' },
        active: true,
      });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    const all = (await scim('GET', '/Users?startIndex=1&count=100')).json();
    const total = all.totalResults as number;
    expect(total).toBeGreaterThanOrEqual(5);
    const page = await scim('GET', `/Users?startIndex=${total - 2}&count=2`);
    expect(page.json()).toMatchObject({
      schemas: [LIST],
      totalResults: total,
      itemsPerPage: 2,
      startIndex: total - 2,
    });
    expect(page.json().Resources.map((r: { id: string }) => r.id)).toEqual(ids.slice(2, 4));
    expect(page.json().Resources[0]).toMatchObject({ schemas: [USER], meta: { resourceType: 'User' } });
    const empty = (await scim('GET', '/Users?count=0')).json();
    expect(empty).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
    const okta = await scim('PATCH', `/Users/${ids[0]}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(okta.json().active).toBe(false);
  });

  it('SEC-5: attributes outside SEC-5 (phoneNumbers, addresses, emails) are not kept anywhere', async () => {
    const res = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'canary@contoso.example',
      displayName: 'Canary Person',
      phoneNumbers: [{ type: 'mobile', value: '+33 6 12 34 56 78' }],
      addresses: [{ type: 'work', streetAddress: '12 Rue Quillfeather', locality: 'Lyon' }],
      emails: [{ value: 'private.canary@home.example' }],
      nickName: 'Tweety',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: 'E-99117' },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    const got = await scim('GET', `/Users/${id}`);
    for (const leaked of ['12 34 56 78', 'Quillfeather', 'Lyon', 'private.canary', 'Tweety', 'E-99117'])
      expect(got.body).not.toContain(leaked);
    expect(Object.keys(got.json()).sort()).toEqual([
      'active',
      'displayName',
      'id',
      'meta',
      'schemas',
      'userName',
    ]);
    const person = (await h.directoryCache.lookup(tenants.acme.organizationId, [id])).get(id)!;
    expect(Object.keys(person).sort()).toEqual([
      'active',
      'directoryId',
      'displayName',
      'givenName',
      'jobTitle',
      'surname',
      'userName',
    ]);
    expect(JSON.stringify(person)).not.toMatch(/Quillfeather|Tweety|private\.canary|E-99117/);
    // Nor in SQL: no table gained a column for people.
    const sqlRows = await withSystem(t.handle, (trx) => trx.selectFrom('scim_tokens').selectAll().execute());
    expect(JSON.stringify(sqlRows)).not.toMatch(/canary|Canary/);
  });

  it('DIR-4: Groups — create, list by displayName, patch members, delete', async () => {
    const member = (
      await scim('POST', '/Users', { schemas: [USER], userName: 'member@contoso.example' })
    ).json().id as string;
    const created = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Field Engineers',
      externalId: 'grp-1',
      members: [],
    });
    expect(created.statusCode).toBe(201);
    const group = created.json();
    expect(group).toMatchObject({
      displayName: 'Field Engineers',
      members: [],
      meta: { resourceType: 'Group' },
    });
    const added = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: member }] }],
    });
    expect(added.json().members.map((m: { value: string }) => m.value)).toEqual([member]);
    const listed = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "field engineers"')}`,
    );
    expect(listed.json()).toMatchObject({ totalResults: 1, Resources: [{ id: group.id }] });
    const removed = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: `members[value eq "${member}"]` }],
    });
    expect(removed.json().members).toEqual([]);
    expect((await scim('DELETE', `/Groups/${group.id}`)).statusCode).toBe(204);
    expectScimError(await scim('GET', `/Groups/${group.id}`), 404);
  });

  it('DIR-4: while the SCIM connection is in use its people stay alive; 14 days after the last request they are gone', async () => {
    const id = (await scim('POST', '/Users', { schemas: [USER], userName: 'alive@contoso.example' })).json()
      .id as string;
    const known = async () => (await h.directoryCache.lookup(tenants.acme.organizationId, [id])).has(id);
    clock.advance(13 * DAY_MS);
    expect(await known()).toBe(true); // a read alone never extends the lifetime
    expect((await scim('GET', '/ServiceProviderConfig')).statusCode).toBe(200);
    clock.advance(13 * DAY_MS);
    expect(await known()).toBe(true);
    expect((await scim('GET', `/Users/${id}`)).statusCode).toBe(200);
    clock.advance(14 * DAY_MS + 1);
    expect(await known()).toBe(false);
  });
});
