import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIRECTORY_TENANT_ID, demoDirectoryUsers } from '../../apps/server/src/demo-directory';
import { DEMO_DEVICE_COUNT } from '../../apps/server/src/demo-inventory';
import { DEMO_PEOPLE } from '../../apps/server/src/demo-people';
import type { TestBrowser } from '../../apps/server/src/platform/auth/dev-idp/testing';
import { startTestServer, type TestServer } from '../support/server';
import { apiCall, signInAs } from '../support/sign-in';

const person = (sub: string) => DEMO_PEOPLE.find((p) => p.sub === sub)!;
const ada = person('demo-ada-admin');
const lena = person('demo-lena-fischer');

/** Polls until the demo's first sync has filled the cache (the job runner polls every second). */
async function waitForEmployees(server: TestServer, browser: TestBrowser) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const summary = await apiCall(server, browser, '/api/v1/employees/summary');
    if (summary.body.count > 0 || Date.now() > deadline) return summary.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the demo directory of the embedded default (the real server)', () => {
  let server: TestServer;
  let admin: TestBrowser;
  let csrfToken: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = (await signInAs(server, ada.sub)).browser;
    csrfToken = (await apiCall(server, admin, '/api/v1/me')).body.csrfToken;
  });
  afterAll(() => server?.close());

  it('DIR-1, DIR-3: the demo organization is connected to the demo Graph and its first sync runs by itself', async () => {
    const summary = await waitForEmployees(server, admin);
    expect(summary).toMatchObject({ count: demoDirectoryUsers().length, connectionStatus: 'healthy' });
    expect(summary.count).toBeGreaterThanOrEqual(300);

    const connection = await apiCall(server, admin, '/api/v1/directory/connection');
    expect(connection.body).toMatchObject({
      kind: 'entra',
      status: 'healthy',
      settings: { directoryTenantId: DEMO_DIRECTORY_TENANT_ID, graphBaseUrl: `${server.url}/dev-idp/graph` },
    });
    const found = await apiCall(server, admin, '/api/v1/employees?search=fisch');
    expect(found.body.employees).toEqual([expect.objectContaining({ displayName: 'Lena Fischer' })]);
  });

  it('DIR-3: "Sync users" runs again against the demo directory (a delta round) and stays healthy', async () => {
    const started = await apiCall(server, admin, '/api/v1/directory/sync', { method: 'POST', csrfToken });
    expect(started.status).toBe(200);
    const deadline = Date.now() + 30_000;
    let job: { status: string } = { status: 'queued' };
    while (!['succeeded', 'failed'].includes(job.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await apiCall(server, admin, `/api/v1/jobs/${started.body.jobId}`)).body;
    }
    expect(job.status).toBe('succeeded');
    expect((await apiCall(server, admin, '/api/v1/employees/summary')).body).toMatchObject({
      count: demoDirectoryUsers().length,
      connectionStatus: 'healthy',
    });
  });

  it('SEC-6: an employee signing in gets the same reference the sync computed, so they are found by it', async () => {
    await waitForEmployees(server, admin);
    const { browser } = await signInAs(server, lena.sub);
    const mine = await apiCall(server, browser, '/api/v1/me/employee');
    expect(mine.status).toBe(200);
    expect(mine.body.employee).toMatchObject({
      known: true,
      displayName: 'Lena Fischer',
      jobTitle: 'Account Manager',
      userName: lena.email,
    });
    expect(mine.body.employee.reference).toMatch(/^[0-9a-f]{64}$/);

    // The Administrator resolves that reference to the same person; an unknown one is "Unknown employee".
    const stranger = randomBytes(32).toString('hex');
    const resolved = await apiCall(server, admin, '/api/v1/employees/resolve', {
      method: 'POST',
      body: { references: [mine.body.employee.reference, stranger] },
      csrfToken,
    });
    expect(resolved.body.employees).toEqual([
      expect.objectContaining({
        reference: mine.body.employee.reference,
        known: true,
        displayName: 'Lena Fischer',
      }),
      {
        reference: stranger,
        known: false,
        displayName: 'Unknown employee',
        userName: null,
        jobTitle: null,
        active: null,
      },
    ]);
  });

  it('SEC-6: a member who is also in the directory (the demo Administrator) is known as an employee too', async () => {
    const asAda = await apiCall(server, admin, '/api/v1/me/employee');
    expect(asAda.body.employee).toMatchObject({ known: true, displayName: 'Ada Admin' });
  });

  it('DEV-1, DEV-5: the demo tenant has a few hundred devices with real histories, its employees named', async () => {
    await waitForEmployees(server, admin);
    const all = await apiCall(server, admin, '/api/v1/devices?limit=1');
    expect(all.body.total).toBe(DEMO_DEVICE_COUNT);
    const dashboard = await apiCall(server, admin, '/api/v1/dashboard/devices');
    expect(dashboard.body.total).toBe(DEMO_DEVICE_COUNT);
    expect(dashboard.body.coverage.assigned).toBeGreaterThan(DEMO_DEVICE_COUNT / 2);
    expect(dashboard.body.byStatus.used).toBeGreaterThan(0);
    const held = await apiCall(server, admin, '/api/v1/devices?status=in_use&limit=50');
    const withEmployee = held.body.devices.find(
      (d: { assignee: { kind: string } }) => d.assignee.kind === 'employee',
    );
    expect(withEmployee.assignee.employee).toMatchObject({ known: true });
    expect(withEmployee.barcode).toMatch(/^DEMO-\d{5}$/);
    const history = await apiCall(server, admin, `/api/v1/devices/${withEmployee.id}/history`);
    expect(history.body.events.map((e: { type: string }) => e.type).slice(-2)).toEqual([
      'assigned_to_employee',
      'created',
    ]);
    expect(history.body.events.at(-2).employee).toMatchObject({
      known: true,
      displayName: withEmployee.assignee.employee.displayName,
    });
  });

  it('SEC-5: a connection may not point at private addresses other than the demo directory of this server', async () => {
    const put = (settings: Record<string, string>) =>
      apiCall(server, admin, '/api/v1/directory/connection', {
        method: 'PUT',
        body: { kind: 'entra', settings, credential: 'secret' },
        csrfToken,
      });
    const internal = await put({
      directoryTenantId: DEMO_DIRECTORY_TENANT_ID,
      clientId: 'c',
      authorityBaseUrl: 'https://127.0.0.1:6379',
      graphBaseUrl: `${server.url}/dev-idp/graph`,
    });
    expect(internal.status).toBe(400);
    expect(internal.body.error.code).toBe('validation_failed');
    expect(internal.body.error.message).toMatch(/private, loopback or link-local/);

    const notGuid = await put({ directoryTenantId: 'contoso', clientId: 'c' });
    expect(notGuid.status).toBe(400);
    expect(JSON.stringify(notGuid.body)).toMatch(/GUID/);

    // Nothing was replaced: the demo connection is still the healthy one.
    const connection = await apiCall(server, admin, '/api/v1/directory/connection');
    expect(connection.body.settings.authorityBaseUrl).toBe(`${server.url}/dev-idp/graph`);
  });
});
