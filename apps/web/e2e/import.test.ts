import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBrowserTests } from './support/browser';
import { openSignedInPage, type SignedInPage } from './support/signed-in-page';

/** The cells of each body row of a table, as text. */
async function bodyRows(page: Page, table: string): Promise<string[][]> {
  return page
    .getByRole('table', { name: table })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')),
    );
}

const fieldOf = (page: Page, header: string) =>
  page.getByRole('combobox', { name: `Field for column ${header}`, exact: true });

describe.skipIf(!runBrowserTests)('device import in Chromium', () => {
  let session: SignedInPage | undefined;
  let page: Page;
  /** Every name and serial of this run carries it. */
  // A letter first: a run id such as 7100e499 or 12345678 would read as a number in the URL's search
  // parameters, which the router then writes in quotes.
  const run = `r${randomUUID().slice(0, 7)}`;
  const fileName = `devices-${run}.csv`;
  // "Serail" is misspelled, so nothing reads it as the serial number; "Warranty" holds a support plan in
  // row 3, which the automatic matching reads as the warranty end: a bad date that is a mapping problem.
  const csv = [
    'Name,Serail,Category,Warranty',
    `Import laptop A ${run},IMP-${run}-1,Laptops,`,
    `Import laptop B ${run},IMP-${run}-2,Laptops,Lenovo Premier Support`,
    `Import monitor ${run},IMP-${run}-3,Monitors,`,
  ].join('\n');
  let pageErrors: string[];

  beforeAll(async () => {
    session = await openSignedInPage({ startPath: '/devices', heading: 'Devices' });
    ({ page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('DEV-12: Devices → Import uploads a CSV, matches its columns, and the check lists the problem by row and column', async () => {
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Import devices' }).waitFor();
    // The template is there to start from.
    const template = await page.evaluate(
      async (href) => {
        const response = await fetch(href);
        return { status: response.status, text: await response.text() };
      },
      (await page.getByRole('link', { name: 'Template (CSV)' }).getAttribute('href')) ?? '',
    );
    expect(template.status).toBe(200);
    expect(template.text).toMatch(/Name,Serial number,Category/);

    await page.getByLabel('Import file').setInputFiles({
      name: fileName,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByRole('table', { name: 'Columns' }).waitFor();
    await page.waitForURL((url) => url.searchParams.has('id'));
    expect(await page.getByTestId('import-file-name').textContent()).toBe(fileName);
    expect(await fieldOf(page, 'Name').inputValue()).toBe('name');
    expect(await fieldOf(page, 'Serail').inputValue()).toBe('ignore');
    expect(await fieldOf(page, 'Category').inputValue()).toBe('category');
    expect(await fieldOf(page, 'Warranty').inputValue()).toBe('warrantyEnd');
    expect(await page.getByRole('button', { name: /^Import .*devices?$/ }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('table', { name: 'Problems' }).waitFor();
    expect(await page.getByTestId('import-problem-count').textContent()).toBe('1 problem');
    const [problem] = await bodyRows(page, 'Problems');
    expect(problem?.slice(0, 2)).toEqual(['3', 'Warranty']);
    expect(problem?.[2]).toContain('Lenovo Premier Support');
    expect(await page.getByRole('button', { name: /^Import .*devices?$/ }).isDisabled()).toBe(true);
  });

  it('DEV-12: with the mapping fixed (serial number, and the support plan as a comment) the check finds no problem', async () => {
    await fieldOf(page, 'Serail').selectOption('serial');
    await fieldOf(page, 'Warranty').selectOption('comment');
    await page.getByText('You changed the mapping since this check').waitFor();
    await page.getByRole('button', { name: 'Check file' }).click();

    await page.getByText('No problems found: the file is ready to import.').waitFor();
    expect(await page.getByRole('table', { name: 'Problems' }).count()).toBe(0);
    const result = page.getByRole('group', { name: 'Check result' });
    expect(await result.locator('[data-figure="Rows"]').textContent()).toBe('Rows3');
    expect(await result.locator('[data-figure="To create"]').textContent()).toBe('To create3');
    // The mapping was saved: a reload shows it as fixed.
    await page.reload();
    await page.getByRole('table', { name: 'Columns' }).waitFor();
    expect(await fieldOf(page, 'Serail').inputValue()).toBe('serial');
    expect(await fieldOf(page, 'Warranty').inputValue()).toBe('comment');
  });

  it('DEV-12: Import runs in the background with progress and ends with what it did', async () => {
    // The run may be quick: remember whether the progress bar was ever shown.
    await page.evaluate(() => {
      const seen = window as unknown as { importProgressSeen: boolean };
      seen.importProgressSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[role="progressbar"][aria-label="Import progress"]')) {
          seen.importProgressSeen = true;
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const jobPoll = page.waitForResponse((response) =>
      /\/api\/v1\/jobs\/[0-9a-f-]{36}$/.test(response.url()),
    );
    await page.getByRole('button', { name: 'Import 3 devices' }).click();

    // The page followed the job (its body is not read: Chromium may drop it once the poll is superseded).
    expect((await jobPoll).status()).toBe(200);
    await page.getByText('Import finished: 3 created, 0 updated, 0 unchanged.').waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(() => (window as unknown as { importProgressSeen: boolean }).importProgressSeen),
    ).toBe(true);
    expect(
      await page
        .getByRole('group', { name: 'Import result' })
        .locator('[data-figure="Created"]')
        .textContent(),
    ).toBe('Created3');
    const recent = await bodyRows(page, 'Recent imports');
    const mine = recent.find((row) => row[0] === fileName);
    expect(mine?.[3]).toBe('Completed');
    expect(mine?.[4]).toBe('3 created, 0 updated, 0 unchanged');
  });

  it('DEV-12: the imported devices are in the device list, found by their serial number', async () => {
    await page.getByRole('link', { name: 'Show the devices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    const filters = page.getByRole('region', { name: 'Filters' });
    await filters.getByRole('textbox', { name: 'Search' }).fill(`IMP-${run}-2`);
    await page.waitForURL((url) => url.searchParams.get('q') === `IMP-${run}-2`);
    // The list sorted by modified shows the new devices first anyway: the count proves the search found it.
    await expect
      .poll(async () => page.getByTestId('device-range').textContent(), { timeout: 10_000 })
      .toBe('1–1 of 1');
    await page.getByRole('link', { name: `Import laptop B ${run}` }).waitFor();

    await page.getByRole('link', { name: `Import laptop B ${run}` }).click();
    await page.getByRole('heading', { level: 1, name: `Import laptop B ${run}` }).waitFor();
    await page.getByRole('button', { name: 'Show history' }).click();
    const history = page.getByRole('dialog', { name: /^History of / });
    await history.locator('[data-event="imported"]').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
