import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app';
import { databaseTargets, type TestDatabase } from '../../../test/support/databases';
import { createOrganizationWithTenant } from './modules/tenants/tenant-service';
import { createRedisCache } from './platform/cache/redis-cache';
import { DAY_MS, ManualClock } from './platform/clock';
import { withTenant } from './platform/db/tenant-scope';
import type { Actor } from './platform/http/actor';
import type { Role } from './platform/http/permissions';
import { enqueueJob } from './platform/jobs/queue';
import { createRepos } from './repos';

const tlsStatus = () => ({
  source: 'files' as const,
  notAfter: '2026-03-01T00:00:00.000Z',
  daysLeft: 20,
  expiresSoon: true,
});

describe.each(databaseTargets())('HTTP application on $name', (target) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let actor: Actor | null = null;
  const clock = new ManualClock('2026-02-09T12:00:00.000Z');
  const tenants: { a: string; b: string; orgA: string } = { a: '', b: '', orgA: '' };
  let jobOfB = '';
  let jobOfA = '';

  const as = (role: Role, tenantId = tenants.a): Actor => ({
    userId: 'u-1',
    email: 'alex@example.com',
    name: 'Alex Admin',
    tenantId,
    organizationId: tenants.orgA,
    role,
    isPlatformAdmin: false,
  });

  beforeAll(async () => {
    t = await target.create();
    const repos = createRepos(t.handle);
    const a = await createOrganizationWithTenant({ name: 'Acme', slug: 'acme-berlin', clock }, repos);
    const b = await createOrganizationWithTenant({ name: 'Globex', slug: 'globex', clock }, repos);
    tenants.a = a.tenant.id;
    tenants.b = b.tenant.id;
    tenants.orgA = a.organization.id;
    jobOfA = (
      await withTenant(t.handle, tenants.a, (trx) =>
        enqueueJob(trx, { tenantId: tenants.a, kind: 'export', payload: { format: 'zip' } }, clock),
      )
    ).id;
    jobOfB = (
      await withTenant(t.handle, tenants.b, (trx) =>
        enqueueJob(trx, { tenantId: tenants.b, kind: 'export', payload: {} }, clock),
      )
    ).id;
    ({ app } = await buildTestApp(t.handle, {
      version: '9.9.9',
      clock,
      tlsStatus,
      tlsNotAfter: () => new Date('2026-03-01T00:00:00.000Z'),
      resolveActor: async () => actor,
    }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('SEC-14: every response carries HSTS, the strict CSP and nosniff', async () => {
    for (const url of ['/health', '/api/v1/tenant', '/no-such-api/x.js']) {
      const res = await app.inject({ url });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('SEC-1: /health reports the certificate expiry and warns within 30 days', async () => {
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      version: '9.9.9',
      mode: 'embedded',
      tls: { notAfter: '2026-03-01T00:00:00.000Z', daysLeft: 20, expiresSoon: true },
    });
  });

  it('OPS-1: /ready checks the database and the cache', async () => {
    const res = await app.inject({ url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, cache: { ok: true } },
    });
  });

  it('OPS-2: /metrics serves Prometheus text with the certificate expiry gauge', async () => {
    await app.inject({ url: '/health' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/^# HELP thestorage_tls_certificate_expiry_seconds/m);
    expect(res.body).toMatch(/^thestorage_tls_certificate_expiry_seconds -?\d+/m);
    expect(res.body).toMatch(/^thestorage_http_request_duration_seconds_bucket\{.*route="\/health"/m);
  });

  it('API-1: errors are problem+json with a stable code and the request id', async () => {
    const res = await app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.error.code).toBe('not_found');
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('API-2: the OpenAPI 3.1 document describes the API and the docs page loads without inline script', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health', '/ready', '/api/v1/tenant', '/api/v1/jobs/{id}']),
    );
    const docs = await app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    expect(docs.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('SEC-14: a tenant route refuses an anonymous caller with 401', async () => {
    actor = null;
    const res = await app.inject({ url: '/api/v1/tenant' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('PLAN-3: the current tenant shows its trial with the full feature set', async () => {
    actor = as('viewer');
    const body = (await app.inject({ url: '/api/v1/tenant' })).json();
    expect(body).toMatchObject({
      slug: 'acme-berlin',
      plan: 'free',
      effectivePlan: 'enterprise',
      inTrial: true,
    });
    expect(body.features.scim).toBe(true);
    expect(body.limits.categories).toBeNull();
  });

  it('PLAN-3: after 30 days the tenant falls back to its plan and its limits', async () => {
    actor = as('administrator');
    clock.advance(31 * DAY_MS);
    try {
      const body = (await app.inject({ url: '/api/v1/tenant' })).json();
      expect(body).toMatchObject({ effectivePlan: 'free', inTrial: false, trialDaysLeft: 0 });
      expect(body.features.scim).toBe(false);
      expect(body.limits.categories).toBe(4);
    } finally {
      clock.advance(-31 * DAY_MS);
    }
  });

  it('JOB-2: an operator reads the progress of a job of their tenant', async () => {
    actor = as('operator');
    const res = await app.inject({ url: `/api/v1/jobs/${jobOfA}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: jobOfA, kind: 'export', status: 'queued', progress: { done: 0 } });
    expect(res.json()).not.toHaveProperty('payload');
  });

  it('SEC-8: another tenant’s job answers 404, exactly like a missing one', async () => {
    actor = as('administrator');
    const other = await app.inject({ url: `/api/v1/jobs/${jobOfB}` });
    const missing = await app.inject({ url: '/api/v1/jobs/0190a1b2-0000-7000-8000-000000000000' });
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.json().error).toEqual(missing.json().error);
  });

  it('ROLE-1: a viewer may not read jobs (403), by the permission matrix', async () => {
    actor = as('viewer');
    const res = await app.inject({ url: `/api/v1/jobs/${jobOfA}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('API-1: a malformed id is a validation error with details, not a server error', async () => {
    actor = as('administrator');
    const res = await app.inject({ url: '/api/v1/jobs/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details[0].path).toBe('id');
  });

  it('API-1: the web app answers 503 with a clear message when it has not been built', async () => {
    const res = await app.inject({ url: '/devices' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.message).toContain('npm run build:web');
  });
});

describe('behind a TLS-terminating load balancer (TRUST_PROXY)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await databaseTargets()[0]!.create();
    ({ app } = await buildTestApp(t.handle, {
      config: { mode: 'production', trustProxy: true, webDistDir: '/nonexistent-web-dist' },
      tlsStatus: () => ({ source: 'proxy', notAfter: null, daysLeft: null, expiresSoon: false }),
    }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('SEC-1: a request that did not arrive over HTTPS is refused', async () => {
    const plain = await app.inject({ url: '/health', headers: { 'x-forwarded-proto': 'http' } });
    expect(plain.statusCode).toBe(403);
    expect(plain.json().error.code).toBe('https_required');
    const missing = await app.inject({ url: '/health' });
    expect(missing.statusCode).toBe(403);
    const secure = await app.inject({ url: '/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.statusCode).toBe(200);
  });
});

describe('readiness with an unreachable cache', () => {
  it('OPS-1: /ready answers 503 and names the failing check', async () => {
    const t = await databaseTargets()[0]!.create();
    const cache = createRedisCache({ url: 'redis://127.0.0.1:1', keyPrefix: 'x:', failFast: true });
    const { app } = await buildTestApp(t.handle, { cache });
    try {
      const res = await app.inject({ url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'not_ready',
        checks: { database: { ok: true }, cache: { ok: false } },
      });
    } finally {
      await app.close();
      await cache.close();
      await t.close();
    }
  });
});
