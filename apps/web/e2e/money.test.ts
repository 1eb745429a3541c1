import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBrowserTests } from './support/browser';
import type { TestServer } from './support/server';
import { openSignedInPage, type SignedInPage } from './support/signed-in-page';

/** Adds a device through the API as the signed-in person; returns its id. */
async function addDeviceThroughApi(page: Page, body: object): Promise<string> {
  const answer = await page.evaluate(async (device) => {
    const me = (await (await fetch('/api/v1/me')).json()) as { csrfToken: string };
    const response = await fetch('/api/v1/devices', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify(device),
    });
    return { status: response.status, id: ((await response.json()) as { id?: string }).id };
  }, body);
  expect(answer.status).toBe(200);
  return answer.id!;
}

describe.skipIf(!runBrowserTests)('money in Chromium', () => {
  let session: SignedInPage | undefined;
  let server: TestServer;
  let page: Page;
  // A letter first: a run id such as 7100e499 or 12345678 would read as a number in the URL's search
  // parameters, which the router then writes in quotes.
  const run = `r${randomUUID().slice(0, 7)}`;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await openSignedInPage({ startPath: '/settings/currency', heading: 'Settings' });
    ({ server, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('DEV-1: an Administrator sets USD as the default currency and a manual rate; a euro price then shows in dollars', async () => {
    const form = page.getByRole('form', { name: 'Default currency' });
    const select = form.getByRole('combobox', { name: 'Default currency' });
    expect(await select.inputValue()).toBe('EUR');
    await select.selectOption('USD');
    await form.getByRole('button', { name: 'Save default currency' }).click();
    await form.getByText('Default currency saved: prices are now also shown in USD.').waitFor();

    // The test machine cannot reach the ECB, so a manual rate converts: 1 EUR = 1.10 USD.
    const manual = page.getByRole('region', { name: 'Manual rates' });
    const add = manual.getByRole('form', { name: 'Add a manual rate' });
    await add.getByRole('combobox', { name: 'Currency' }).selectOption('USD');
    await add.getByRole('textbox', { name: 'Units per 1 EUR' }).fill('1.10');
    await add.getByRole('button', { name: 'Add rate' }).click();
    await manual.locator('[data-currency="USD"]').getByText('1.10', { exact: true }).waitFor();

    const id = await addDeviceThroughApi(page, {
      name: `Priced laptop ${run}`,
      price: '1000.00',
      currency: 'EUR',
    });
    await page.goto(`${server.url}/devices/${id}`);
    await page.getByRole('heading', { level: 1, name: `Priced laptop ${run}` }).waitFor();
    const converted = page.getByRole('region', { name: 'Details' }).getByTestId('converted-price');
    await converted.waitFor();
    const source = await converted.getAttribute('data-source');
    const text = (await converted.textContent()) ?? '';
    if (source === 'manual') expect(text).toContain('≈ $1,100.00');
    else expect(text).toMatch(/^≈ \$[\d,]+\.\d{2}/);

    // The list shows it under the original price as well.
    await page.goto(`${server.url}/devices?view=list&q=${run}`);
    const row = page
      .getByRole('table', { name: 'Devices' })
      .locator('tr', { hasText: `Priced laptop ${run}` });
    await row.getByText('€1,000.00').waitFor();
    expect(await row.getByTestId('converted-price').textContent()).toBe(
      source === 'manual' ? '≈ $1,100.00 (manual rate)' : text.split(' · ')[0],
    );
    expect(pageErrors).toEqual([]);
  });

  it('DEV-1: the dashboard adds the inventory up in the default currency', async () => {
    await page.goto(`${server.url}/`);
    const card = page.getByRole('region', { name: 'Inventory value' });
    await card.waitFor();
    expect(await card.getByTestId('inventory-value').textContent()).toMatch(/^\$[\d,]+\.\d{2}$/);
    expect(await card.textContent()).toContain('in USD');
    expect(pageErrors).toEqual([]);
  });
});
