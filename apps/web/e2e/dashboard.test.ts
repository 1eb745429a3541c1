import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBrowserTests } from './support/browser';
import { openSignedInPage, type SignedInPage } from './support/signed-in-page';

/** The demo tenant's inventory, seeded on the server's first start. */
const DEMO_DEVICE_COUNT = 280;

describe.skipIf(!runBrowserTests)('the dashboard in Chromium', () => {
  let session: SignedInPage | undefined;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await openSignedInPage({ startPath: '/', heading: 'Dashboard' });
    ({ page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('DASH-1: the demo Administrator sees the 280 demo devices counted; Missing opens the list of missing devices', async () => {
    const byStatus = page.getByRole('region', { name: 'Devices by status' });
    await byStatus.getByRole('link', { name: `${DEMO_DEVICE_COUNT} devices` }).waitFor();
    const counts = await byStatus
      .getByRole('list', { name: 'Devices by status' })
      .getByRole('link')
      .allTextContents();
    expect(counts).toHaveLength(10);
    expect(counts.reduce((sum, count) => sum + Number(count.replace(/,/g, '')), 0)).toBe(DEMO_DEVICE_COUNT);
    await page
      .getByRole('region', { name: 'Assignment coverage' })
      .getByRole('img', { name: /^\d+% of devices are assigned$/ })
      .waitFor();

    const missing = page
      .getByRole('region', { name: 'Risky devices' })
      .getByRole('link', { name: /^Missing: / });
    const missingCount = Number(await missing.textContent());
    expect(missingCount).toBeGreaterThan(0);
    await missing.click();

    await page.waitForURL(
      (url) => url.pathname === '/devices' && url.searchParams.get('status') === 'missing',
    );
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    await expect
      .poll(async () => page.getByTestId('device-range').textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(` of ${missingCount}$`));
    const statuses = await page
      .getByRole('list', { name: 'Devices' })
      .locator('[data-status]')
      .evaluateAll((badges) => [...new Set(badges.map((badge) => badge.getAttribute('data-status')))]);
    expect(statuses).toEqual(['missing']);
    expect(pageErrors).toEqual([]);
  });
});
