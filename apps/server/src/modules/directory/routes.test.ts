import type { DirectoryConnection } from '@thestorage/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeGoogleDirectory,
  startFakeGoogleDirectory,
} from '../../../../../test/fakes/google-directory';
import {
  entraConnectionTo,
  type FakeMicrosoftGraph,
  startFakeMicrosoftGraph,
} from '../../../../../test/fakes/microsoft-graph';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { DAY_MS, ManualClock } from '../../platform/clock';
import { withSystem } from '../../platform/db/tenant-scope';
import { type DirectoryHarness, startDirectoryHarness } from './sync/directory-test-harness';

const CANARY = {
  displayName: 'Zephyrine Quillfeather',
  givenName: 'Zephyrine',
  surname: 'Quillfeather',
  userPrincipalName: 'zephyrine.quillfeather@contoso.example',
  jobTitle: 'Lighthouse Keeper',
};

describe.each(databaseTargets())('directory connection and sync on $name', (target) => {
  let t: TestDatabase;
  let graph: FakeMicrosoftGraph;
  let google: FakeGoogleDirectory;
  let h: DirectoryHarness;
  let zephyrineId = '';
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');

  const search = async (q: string) => {
    const res = await h.call({ url: `/api/v1/employees?search=${encodeURIComponent(q)}` });
    expect(res.status).toBe(200);
    return (res.body as { employees: { displayName: string; jobTitle: string; reference: string }[] })
      .employees;
  };
  const summary = async () =>
    (await h.call({ url: '/api/v1/employees/summary' })).body as Record<string, unknown>;
  const connection = async () =>
    (await h.call({ url: '/api/v1/directory/connection' })).body as DirectoryConnection;
  const syncNow = async () => {
    const res = await h.call({ method: 'POST', url: '/api/v1/directory/sync' });
    expect(res.status).toBe(200);
    expect(await h.runJobs()).toBe(1);
    return (res.body as { jobId: string }).jobId;
  };

  beforeAll(async () => {
    t = await target.create();
    graph = await startFakeMicrosoftGraph();
    graph.seedUsers(300);
    zephyrineId = graph.addUser(CANARY).id;
    google = await startFakeGoogleDirectory({ users: 40 });
    h = await startDirectoryHarness(t, clock, { caPem: `${graph.caPem}\n${google.caPem}` });
  });
  afterAll(async () => {
    await h?.close();
    await graph?.close();
    await google?.close();
    await t?.close();
  });

  it('DIR-1: an Administrator connects Entra ID; "Sync users" fills the picker and the summary', async () => {
    h.as('administrator');
    expect((await h.call({ url: '/api/v1/directory/connection' })).status).toBe(404);
    const put = await h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: entraConnectionTo(graph),
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ kind: 'entra', status: 'never_synced', syncTime: '08:00' });
    expect(put.body).toMatchObject({ syncTimeZone: 'Europe/Paris', lastError: null });

    const jobId = await syncNow();
    const job = await h.call({ url: `/api/v1/jobs/${jobId}` });
    expect(job.body).toMatchObject({ status: 'succeeded', progress: { done: 301 } });

    const found = await search('quillfe');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      displayName: CANARY.displayName,
      jobTitle: CANARY.jobTitle,
      active: true,
    });
    expect(found[0]!.reference).toMatch(/^[0-9a-f]{64}$/);
    expect(await summary()).toMatchObject({ count: 301, connectionStatus: 'healthy' });
    expect((await summary()).lastRefreshedAt).toBe(clock.now().toISOString());
    expect(await connection()).toMatchObject({ status: 'healthy', lastCount: 301, lastError: null });
    // Only the SEC-5 attributes were asked of Graph.
    const reads = graph.requests.filter((r) => r.endpoint === 'users' || r.endpoint === 'delta');
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) expect(r.select).not.toContain('mail');
  });

  it('DIR-3: the next sync is a delta that brings a changed job title', async () => {
    h.as('administrator');
    graph.updateUser(zephyrineId, { jobTitle: 'Harbour Master' });
    const before = graph.requests.length;
    await syncNow();
    const requests = graph.requests.slice(before).filter((r) => r.endpoint !== 'token');
    expect(requests.every((r) => r.endpoint === 'delta')).toBe(true);
    expect(
      requests.some((r) => Object.keys(r.query).some((k) => k.toLowerCase().includes('deltatoken'))),
    ).toBe(true);
    expect((await search('quillfe'))[0]).toMatchObject({ jobTitle: 'Harbour Master' });
    expect(await summary()).toMatchObject({ count: 301, connectionStatus: 'healthy' });
  });

  it('DIR-3: revoked consent makes the connection failing with its error code, and the cache stays', async () => {
    h.as('administrator');
    graph.failNext('revoked-consent');
    await syncNow();
    const failing = await connection();
    expect(failing).toMatchObject({ status: 'failing', lastCount: 301, lastError: { code: 'revoked' } });
    expect(failing.lastError?.message).toMatch(/consent/);
    expect(await summary()).toMatchObject({ count: 301, connectionStatus: 'failing' });
    expect(await search('quillfe')).toHaveLength(1);
  });

  it('SEC-5: 14 days after the last success the names expire (not a millisecond earlier); reconnecting brings them back', async () => {
    h.as('administrator');
    const lastSuccess = Date.parse((await connection()).lastSuccessAt ?? '');
    // References as inventory rows hold them: the canary and two colleagues.
    const canary = (await search('quillfe')).map((e) => e.reference);
    const colleagues = (await search('contoso'))
      .map((e) => e.reference)
      .filter((reference) => !canary.includes(reference))
      .slice(0, 2);
    const references = [...canary, ...colleagues];
    expect(references).toHaveLength(3);
    const resolve = async () => {
      const res = await h.call({ method: 'POST', url: '/api/v1/employees/resolve', payload: { references } });
      expect(res.status).toBe(200);
      return (res.body as { employees: { reference: string; known: boolean; displayName: string }[] })
        .employees;
    };
    // A read on day 13 does not extend the lifetime.
    clock.set(new Date(lastSuccess + 13 * DAY_MS));
    expect((await resolve()).every((e) => e.known)).toBe(true);
    clock.set(new Date(lastSuccess + 14 * DAY_MS - 1));
    expect(await search('quillfe')).toHaveLength(1);
    expect((await resolve())[0]).toMatchObject({ known: true, displayName: CANARY.displayName });
    clock.set(new Date(lastSuccess + 14 * DAY_MS + 1));
    expect(await search('quillfe')).toEqual([]);
    expect(await summary()).toMatchObject({ count: 0, lastRefreshedAt: null });
    expect(await resolve()).toEqual(
      references.map((reference) =>
        expect.objectContaining({ reference, known: false, displayName: 'Unknown employee' }),
      ),
    );

    const gone = await h.call({ method: 'DELETE', url: '/api/v1/directory/connection' });
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ status: 'disconnected' });
    expect(await h.sealedCredentialsOf(h.tenantId)).toEqual([]);
    expect((await h.call({ method: 'POST', url: '/api/v1/directory/sync' })).status).toBe(409);

    const again = await h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: entraConnectionTo(graph),
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'never_synced' });
    await syncNow();
    expect((await search('quillfe'))[0]).toMatchObject({ displayName: CANARY.displayName });
    expect(await summary()).toMatchObject({ count: 301, connectionStatus: 'healthy' });
    expect((await resolve()).every((e) => e.known)).toBe(true);
  });

  it('DIR-2: a Google Workspace connection syncs its users the same way', async () => {
    const other = await h.newOrganization('google');
    h.as('administrator', other);
    const put = await h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: {
        kind: 'google',
        settings: {
          adminEmail: google.adminEmail,
          tokenUrl: google.tokenUrl,
          directoryBaseUrl: google.baseUrl,
        },
        credential: google.serviceAccountKey,
      },
    });
    expect(put.status).toBe(200);
    await syncNow();
    expect(await summary()).toMatchObject({ count: 40, connectionStatus: 'healthy' });
    const person = google.userAt(7)!;
    const found = await search(person.primaryEmail);
    expect(found.map((e) => (e as unknown as { userName: string }).userName)).toContain(person.primaryEmail);
    // Employees are per organization: the Entra organization's people are not found here.
    expect(await search('quillfe')).toEqual([]);
  });

  it('DIR-3: a malformed Google key is refused without being repeated', async () => {
    const other = await h.newOrganization('badkey');
    h.as('administrator', other);
    const res = await h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: {
        kind: 'google',
        settings: { adminEmail: google.adminEmail },
        credential: '{"type":"service_account","private_key":"SECRET-NOT-A-KEY"}',
      },
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('SECRET-NOT-A-KEY');
    expect((await h.call({ url: '/api/v1/directory/connection' })).status).toBe(404);
  });

  it('DIR-3: on the Free plan after the trial, connecting is refused as not in the plan', async () => {
    const free = await h.newOrganization('free');
    await withSystem(t.handle, (trx) =>
      trx
        .updateTable('tenants')
        .set({ trial_ends_at: new Date(clock.now().getTime() - 1).toISOString() })
        .where('id', '=', free.tenantId)
        .execute(),
    );
    h.as('administrator', free);
    const res = await h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: entraConnectionTo(graph),
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'feature_not_in_plan' } });
    expect((await h.call({ url: '/api/v1/directory/connection' })).status).toBe(404);
  });

  it('SEC-5: a Viewer uses the picker but cannot see or change the connection', async () => {
    h.as('viewer');
    const put = await h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: entraConnectionTo(graph),
    });
    expect(put.status).toBe(403);
    expect((await h.call({ url: '/api/v1/directory/connection' })).status).toBe(403);
    expect((await h.call({ method: 'DELETE', url: '/api/v1/directory/connection' })).status).toBe(403);
    expect((await h.call({ method: 'POST', url: '/api/v1/directory/sync' })).status).toBe(403);
    expect(await search('quillfe')).toHaveLength(1);
    expect((await h.call({ url: '/api/v1/employees?search=qu' })).status).toBe(400);
  });

  it('SEC-9: the credentials never appear in a response, and are stored sealed', async () => {
    const all = h.bodies.join('\n');
    expect(all).toContain(graph.clientId);
    expect(all).not.toContain(graph.clientSecret);
    expect(all).not.toContain(JSON.parse(google.serviceAccountKey).private_key_id);
    const sealed = await h.sealedCredentialsOf(h.tenantId);
    expect(sealed).toHaveLength(1);
    expect(sealed[0]).toMatch(/^ts1\./);
    expect(sealed[0]).not.toContain(graph.clientSecret);
  });
});
