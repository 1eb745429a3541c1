import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumSession, runBrowserTests } from './support/browser';
import type { TestServer } from './support/server';
import { openSignedInPage, type SignedInPage } from './support/signed-in-page';

/** The demo directory syncs in the background on first start: wait until the picker can find Lena. */
async function waitForDemoDirectory(page: Page) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const found = await page.evaluate(async () => {
      const response = await fetch('/api/v1/employees?search=Lena%20Fischer');
      if (!response.ok) return 0;
      return ((await response.json()) as { employees: unknown[] }).employees.length;
    });
    if (found > 0) return;
    await page.waitForTimeout(500);
  }
  throw new Error('The demo directory did not sync within a minute.');
}

/** Adds a device through the API as the signed-in person (for the list checks only). */
async function addDeviceThroughApi(page: Page, body: { name: string; status: string }) {
  const status = await page.evaluate(async (device) => {
    const me = (await (await fetch('/api/v1/me')).json()) as { csrfToken: string };
    const response = await fetch('/api/v1/devices', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify(device),
    });
    return response.status;
  }, body);
  expect(status).toBe(200);
}

/** The status badge beside the device number, under the name. */
const headerStatus = (page: Page) =>
  page.getByTestId('device-summary').locator('[data-status]').getAttribute('data-status');

async function waitForHeaderStatus(page: Page, status: string) {
  await page.getByTestId('device-summary').locator(`[data-status="${status}"]`).waitFor();
}

function nameBox(page: Page): Locator {
  return page.getByRole('region', { name: 'Details' }).getByRole('textbox', { name: 'Name', exact: true });
}

/** The labels file the browser saved: named device-labels.pdf, not empty, and a PDF. */
async function savedLabels(download: Download): Promise<Buffer> {
  expect(download.suggestedFilename()).toBe('device-labels.pdf');
  expect(await download.failure()).toBeNull();
  const file = await readFile(await download.path());
  expect(file.length).toBeGreaterThan(0);
  expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return file;
}

describe.skipIf(!runBrowserTests)('devices in Chromium', () => {
  let session: SignedInPage | undefined;
  let server: TestServer;
  let browser: ChromiumSession;
  let page: Page;
  /** Every name of this run carries it, so the list checks see only these devices. */
  // A letter first: a run id such as 7100e499 or 12345678 would read as a number in the URL's search
  // parameters, which the router then writes in quotes.
  const run = `r${randomUUID().slice(0, 7)}`;
  const deviceName = `Mid tablet ${run}`;
  let deviceUrl = '';
  /** Uncaught errors of the app while the tests ran. */
  let pageErrors: string[];

  beforeAll(async () => {
    session = await openSignedInPage({ startPath: '/devices', heading: 'Devices' });
    ({ server, browser, page, pageErrors } = session);
    await waitForDemoDirectory(page);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('DEV-1: an Administrator adds a device and lands on its page as New, number shown as #N', async () => {
    await page.getByRole('button', { name: 'Add device' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add device' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(deviceName);
    await dialog.getByRole('textbox', { name: 'Serial number' }).fill(`SN-${run}`);
    await dialog.getByRole('button', { name: 'Add device' }).click();

    await page.getByRole('heading', { level: 1, name: deviceName }).waitFor();
    deviceUrl = page.url();
    expect(new URL(deviceUrl).pathname).toMatch(/^\/devices\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('device-number').textContent()).toMatch(/^#\d+$/);
    expect(await headerStatus(page)).toBe('new');
  });

  it('DEV-4: assigning to an employee sets In-use, Back to IT sets Used', async () => {
    const assignment = page.getByRole('region', { name: 'Assignment' });
    const picker = assignment.getByRole('combobox', { name: 'Assign to' });
    await picker.fill('Lena');
    await page.getByRole('option', { name: /Lena Fischer/ }).click();
    await assignment.getByRole('button', { name: 'Assign', exact: true }).click();

    await assignment.getByTestId('current-assignee').getByText('Lena Fischer').waitFor();
    await waitForHeaderStatus(page, 'in_use');

    await assignment.getByRole('button', { name: 'Back to IT' }).click();
    await assignment.getByTestId('current-assignee').getByText('IT department').waitFor();
    await waitForHeaderStatus(page, 'used');
  });

  it('DEV-5: the history lists both assignments, newest first, with the employee by name', async () => {
    await page.getByRole('button', { name: 'Show history' }).click();
    const dialog = page.getByRole('dialog', { name: /^History of / });
    await dialog.getByText('Assigned to IT', { exact: true }).waitFor();
    const titles = await dialog
      .locator('[data-event]')
      .evaluateAll((events) => events.map((event) => event.getAttribute('data-event')));
    expect(titles.slice(0, 3)).toEqual(['assigned_to_it', 'assigned_to_employee', 'created']);
    const toLena = dialog.locator('[data-event="assigned_to_employee"]');
    expect(await toLena.getByText('Lena Fischer').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('DEV-6: a stale inline edit says "Modified by someone else" and Reload shows the other tab\'s change', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(deviceUrl);
      await nameBox(other).fill(`${deviceName} (tab 2)`);
      await nameBox(other).press('Tab');
      await other.getByRole('region', { name: 'Details' }).getByText('Saved').first().waitFor();
    } finally {
      await other.close();
    }

    // This tab still holds the version from before the other tab's save.
    await nameBox(page).fill(`${deviceName} (stale)`);
    await nameBox(page).press('Tab');
    const alert = page.getByRole('alert').filter({ hasText: 'Modified by someone else' });
    await alert.waitFor();
    expect(await page.getByText('Not saved: modified by someone else.').count()).toBe(1);

    await alert.getByRole('button', { name: 'Reload' }).click();
    await alert.waitFor({ state: 'detached' });
    expect(await nameBox(page).inputValue()).toBe(`${deviceName} (tab 2)`);
    await page.getByRole('heading', { level: 1, name: `${deviceName} (tab 2)` }).waitFor();
  });

  it('DEV-9: the list filters by status and sorts by name', async () => {
    await addDeviceThroughApi(page, { name: `Zulu laptop ${run}`, status: 'used' });
    await addDeviceThroughApi(page, { name: `Alpha monitor ${run}`, status: 'used' });
    await addDeviceThroughApi(page, { name: `Beta phone ${run}`, status: 'new' });

    await page.goto(`${server.url}/devices`);
    // The view switch is a radio group: the keyboard moves from Cards to List.
    await page.getByRole('radio', { name: 'Cards' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL((url) => url.searchParams.get('view') === 'list');
    const filters = page.getByRole('region', { name: 'Filters' });
    await filters.getByRole('textbox', { name: 'Search' }).fill(run);
    await page.waitForURL((url) => url.searchParams.get('q') === run);

    await filters.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Used', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'used');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
    await page.getByRole('combobox', { name: 'Order' }).selectOption('asc');
    await page.waitForURL(
      (url) => url.searchParams.get('sort') === 'name' && url.searchParams.get('order') === 'asc',
    );

    const table = page.getByRole('table', { name: 'Devices' });
    const expected = [`Alpha monitor ${run}`, `${deviceName} (tab 2)`, `Zulu laptop ${run}`];
    await expect
      .poll(async () => table.locator('tbody tr td:nth-child(2)').allTextContents(), { timeout: 10_000 })
      .toEqual(expected);
    const statuses = await table
      .locator('tbody [data-status]')
      .evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-status')));
    expect(statuses).toEqual(['used', 'used', 'used']);
    expect(await page.getByTestId('device-range').textContent()).toBe('1–3 of 3');
    expect(pageErrors).toEqual([]);
  });

  it('DEV-10: Print label on the device page downloads its QR code label as a PDF', async () => {
    await page.goto(deviceUrl);
    await page.getByRole('heading', { level: 1, name: `${deviceName} (tab 2)` }).waitFor();
    await page.getByRole('button', { name: 'Print label' }).click();
    const labelsRequest = page.waitForRequest((request) => request.url().endsWith('/api/v1/devices/labels'));
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'QR code' }).click();

    expect((await labelsRequest).postDataJSON()).toEqual({
      deviceIds: [new URL(deviceUrl).pathname.split('/').at(-1)],
      format: 'qr',
    });
    await savedLabels(await download);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('DEV-10: two devices selected on the list print as one PDF of Code 128 labels', async () => {
    await page.goto(`${server.url}/devices?view=list&q=${run}&sort=name&order=asc`);
    const table = page.getByRole('table', { name: 'Devices' });
    await table.getByText(`Zulu laptop ${run}`).waitFor();
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    const selection = page.getByRole('region', { name: 'Selection' });
    await table.getByRole('checkbox', { name: `Select Alpha monitor ${run}`, exact: false }).check();
    await table.getByRole('checkbox', { name: `Select Zulu laptop ${run}`, exact: false }).check();
    expect(await selection.getByRole('status').textContent()).toBe('2 selected');

    await selection.getByRole('button', { name: 'Print labels' }).click();
    const labelsRequest = page.waitForRequest((request) => request.url().endsWith('/api/v1/devices/labels'));
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Code 128' }).click();

    const body = (await labelsRequest).postDataJSON() as { deviceIds: string[]; format: string };
    expect(body.format).toBe('code128');
    expect(new Set(body.deviceIds).size).toBe(2);
    await savedLabels(await download);

    await selection.getByRole('button', { name: 'Done selecting' }).click();
    await selection.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('DEV-13: Export → CSV downloads the filtered list with its header and the devices found', async () => {
    await page.goto(`${server.url}/devices?view=list&q=${run}&sort=name&order=asc`);
    await page.getByRole('table', { name: 'Devices' }).getByText(`Zulu laptop ${run}`).waitFor();
    await page.getByRole('button', { name: 'Export' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const file = await (await download).path();
    const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
    const lines: string[] = text.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^Number,Name,Serial number,Category,Status,Assigned to/);
    // Every device the list finds (its range label's total), sorted by name as on screen.
    const range = await page.getByTestId('device-range').textContent();
    const names = lines.slice(1).map((line) => line.split(',')[1]!);
    expect(names).toHaveLength(Number(range?.split(' of ')[1]));
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toEqual(expect.arrayContaining([`Alpha monitor ${run}`, `Zulu laptop ${run}`]));
    expect(pageErrors).toEqual([]);
  });
});
