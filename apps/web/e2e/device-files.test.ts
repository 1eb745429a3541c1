import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, samplePng } from '../../../test/support/sample-files';
import { runBrowserTests } from './support/browser';
import type { TestServer } from './support/server';
import { openSignedInPage, type SignedInPage } from './support/signed-in-page';

/** Adds a device through the API as the signed-in person; returns its id. */
async function addDevice(page: Page, name: string): Promise<string> {
  return page.evaluate(async (deviceName) => {
    const me = (await (await fetch('/api/v1/me')).json()) as { csrfToken: string };
    const response = await fetch('/api/v1/devices', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ name: deviceName }),
    });
    return ((await response.json()) as { id: string }).id;
  }, name);
}

/** Waits until the image has really been loaded and decoded by the browser (not a broken image). */
async function waitForLoadedImage(image: Locator) {
  await image.waitFor();
  await expect
    .poll(
      () =>
        image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth),
      {
        timeout: 10_000,
      },
    )
    .toBeGreaterThan(0);
}

describe.skipIf(!runBrowserTests)('device invoices and images in Chromium', () => {
  let session: SignedInPage | undefined;
  let server: TestServer;
  let page: Page;
  // A letter first: a run id such as 7100e499 or 12345678 would read as a number in the URL's search
  // parameters, which the router then writes in quotes.
  const run = `r${randomUUID().slice(0, 7)}`;
  const deviceName = `Photo laptop ${run}`;
  let deviceId = '';
  let pdf: Buffer;
  /** Uncaught errors of the app while the tests ran. */
  let pageErrors: string[];

  beforeAll(async () => {
    pdf = await samplePdf(`Invoice of ${deviceName}`);
    session = await openSignedInPage({ startPath: '/devices', heading: 'Devices' });
    ({ server, page, pageErrors } = session);
    deviceId = await addDevice(page, deviceName);
    await page.goto(`${server.url}/devices/${deviceId}`);
    await page.getByRole('heading', { level: 1, name: deviceName }).waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('DEV-1: an Administrator uploads an image; the device page shows it', async () => {
    const card = page.getByRole('region', { name: 'Image' });
    await card.locator('input[type="file"]').setInputFiles({
      name: 'laptop.png',
      mimeType: 'image/png',
      buffer: samplePng(120, 80, [40, 160, 90]),
    });
    await waitForLoadedImage(card.getByRole('img', { name: `Image of ${deviceName}` }));
    expect(pageErrors).toEqual([]);
  });

  it('DEV-1: an invoice PDF is uploaded and downloaded again, byte for byte, as invoice-N.pdf', async () => {
    const card = page.getByRole('region', { name: 'Invoice' });
    await card.locator('input[type="file"]').setInputFiles({
      name: 'invoice.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await card.getByText(/^PDF, .+, uploaded /).waitFor();

    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Download PDF' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^invoice-\d+\.pdf$/);
    const bytes = await readFile(await saved.path());
    expect(bytes.equals(pdf)).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('DEV-9: the device tile in the card view shows the image', async () => {
    await page.goto(`${server.url}/devices?q=${run}`);
    const tile = page
      .getByRole('list', { name: 'Devices' })
      .getByRole('listitem')
      .filter({ hasText: deviceName });
    await waitForLoadedImage(tile.getByTestId('device-tile-image'));
    expect(pageErrors).toEqual([]);
  });
});
