import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChromiumSession, launchChromium, runBrowserTests } from './support/browser';
import { startTestServer, type TestServer } from './support/server';
import { signInAs } from './support/sign-in';

const inventory = ['Dashboard', 'Devices', 'Employees', 'Software', 'Audit', 'Store'];

function sidebarLinks(page: Page) {
  return page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allTextContents();
}

async function heading(page: Page, name: string) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe.skipIf(!runBrowserTests)('what each demo role sees, in Chromium', () => {
  let server: TestServer;
  let browser: ChromiumSession;
  let page: Page;
  /** Successful sign-ins made by this file, which the platform administrator must find in the log. */
  let signIns = 0;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium({ trustCertificatePem: server.certPem });
  });

  beforeEach(async () => {
    // Every test is a different person: start without the previous one's session cookie.
    await browser.context.clearCookies();
    page = await browser.newPage();
    return async () => {
      await page.close();
    };
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(person: string, startPath = '/') {
    await signInAs(page, server.url, person, startPath);
    signIns += 1;
  }

  it('ROLE-1: an Administrator reaches Users & Roles and can invite', async () => {
    await signIn('Ada Admin');
    await heading(page, 'Dashboard');
    expect(await sidebarLinks(page)).toEqual([...inventory, 'Settings', 'Users & Roles']);

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Users & Roles' })
      .click();
    await page.getByRole('table', { name: 'Members' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/users');

    const email = `invitee-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite member' });
    await dialog.getByRole('textbox', { name: 'E-mail' }).fill(email);
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('viewer');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const result = page.getByRole('dialog', { name: 'Invitation created' });
    await result.waitFor();
    // The embedded default has no mail server: the link is there to copy.
    expect(await result.getByRole('textbox', { name: 'Invitation link' }).inputValue()).toMatch(
      /^https:\/\//,
    );
    await result.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row').filter({ hasText: email });
    await row.waitFor();
    expect(await row.getByText('Pending').count()).toBe(1);
    expect(await row.getByText('Viewer').count()).toBe(1);

    // Sign-out ends the session: the app asks for a sign-in again.
    await page.getByRole('button', { name: 'Account: Ada Admin' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByText('You are signed out.').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    expect(me).toBe(401);
  });

  it('DIR-4: an Administrator opens Settings → User provisioning', async () => {
    await signIn('Ada Admin', '/settings');
    await heading(page, 'Settings');
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'User provisioning' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'SCIM token' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/provisioning');
    expect(await page.getByTestId('scim-token-status').textContent()).toMatch(/^(Active|No token)$/);
  });

  it('ROLE-1: an Operator has no Users & Roles and is refused its address', async () => {
    await signIn('Otto Operator');
    await heading(page, 'Dashboard');
    expect(await sidebarLinks(page)).toEqual([...inventory, 'Settings']);

    await page.goto(`${server.url}/settings/users`);
    await heading(page, 'You are not allowed to open this page');
    expect(await page.getByRole('table', { name: 'Members' }).count()).toBe(0);
  });

  it('ROLE-1: a Viewer reads Settings with no edit controls', async () => {
    await signIn('Vera Viewer', '/settings');
    await heading(page, 'Settings');
    await page.getByTestId('plan-badge').waitFor();
    const main = page.getByRole('main');
    expect(await main.getByRole('button').count()).toBe(0);

    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Tenants' })
      .click();
    await page.getByRole('table', { name: 'Tenants' }).waitFor();
    expect(await main.getByRole('button').count()).toBe(0);
    expect(await main.getByRole('textbox').count()).toBe(0);
    expect(
      await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link').allTextContents(),
    ).toEqual(['General', 'Tenants', 'Categories', 'Places', 'Tags', 'Vendors', 'Inventory', 'Currency']);

    // The default currency and the rates are readable, not editable.
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Currency' })
      .click();
    await page.getByText('Default currency').first().waitFor();
    expect(await main.getByRole('button').count()).toBe(0);
    expect(await main.getByRole('textbox').count()).toBe(0);
  });

  it('ROLE-1: an employee lands on My devices and sees only that', async () => {
    await signIn('Lena Fischer');
    await heading(page, 'My devices');
    expect(new URL(page.url()).pathname).toBe('/my-devices');
    await page.getByText(/No devices or software seats are assigned to you yet/).waitFor();
    expect(await sidebarLinks(page)).toEqual(['My devices']);

    await page.goto(`${server.url}/devices`);
    await heading(page, 'You are not allowed to open this page');
  });

  it('ROLE-1: a platform administrator reaches the console and sees the sign-ins just made', async () => {
    await signIn('Paula Platform', '/platform');
    await heading(page, 'Platform console');
    expect(await sidebarLinks(page)).toContain('Platform console');
    await page
      .getByRole('table', { name: /Tenants of / })
      .first()
      .waitFor();

    await page.getByRole('tab', { name: 'Authentication log' }).click();
    const events = page.getByRole('table', { name: 'Authentication events' });
    await events.waitFor();
    await page.getByLabel('Outcome').selectOption('success');
    await page.waitForFunction((expected) => {
      const rows = [...document.querySelectorAll('table[aria-label="Authentication events"] tbody tr')];
      return rows.length >= expected && rows.every((row) => row.getAttribute('data-outcome') === 'success');
    }, signIns);
    const outcomes = await events
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome')));
    expect(outcomes.length).toBeGreaterThanOrEqual(signIns);
    expect(new Set(outcomes)).toEqual(new Set(['success']));
  });
});
