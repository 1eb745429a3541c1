import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumSession, launchChromium, runBrowserTests } from './support/browser';
import { startTestServer, type TestServer } from './support/server';
import { signInAs } from './support/sign-in';

/** Opens a Settings section by its tab, as a person would. */
async function openSection(page: Page, label: string, path: string) {
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: label })
    .click();
  await page.waitForURL((url) => url.pathname === path);
}

function rowOf(page: Page, table: string, name: string) {
  return page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: name });
}

describe.skipIf(!runBrowserTests)(
  'Settings → Categories, Places, Tags, Vendors and Inventory, in Chromium',
  () => {
    let server: TestServer;
    let browser: ChromiumSession;
    let page: Page;
    // Names of this run, so they cannot meet demo data of the same name.
    const run = randomUUID().slice(0, 6);
    const names = {
      category: `Laptops ${run}`,
      place: `Berlin HQ ${run}`,
      tag: `Loaner ${run}`,
      vendor: `Contoso ${run}`,
    };

    beforeAll(async () => {
      server = await startTestServer();
      browser = await launchChromium({ trustCertificatePem: server.certPem });
      page = await browser.newPage();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('DEV-2: the demo Administrator adds a category with an attribute that is appended to device names', async () => {
      await signInAs(page, server.url, 'Ada Admin', '/settings/categories');
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await page.getByRole('button', { name: 'Add category' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add category' });
      await dialog.getByLabel('Category name').fill(names.category);
      await dialog.getByRole('button', { name: 'Add attribute' }).click();
      const attribute = dialog.getByRole('group', { name: 'Attribute 1' });
      await attribute.getByLabel('Attribute name').fill('Screen');
      await attribute.getByLabel('Type').selectOption('number');
      await attribute.getByLabel('Suffix').fill('"');
      await dialog.getByRole('switch', { name: /Append attribute values to device names/ }).check();
      expect(await dialog.getByTestId('device-name-example').textContent()).toBe('MacBook Pro (16")');
      await dialog.getByRole('button', { name: 'Add category' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const row = rowOf(page, 'Categories', names.category);
      await row.waitFor();
      expect(await row.textContent()).toContain('Screen (Number)');
      expect(await row.textContent()).toContain('Values appended');
    });

    it('DEV-11: the Administrator adds a place, a tag with a colour and a vendor with a website', async () => {
      await openSection(page, 'Places', '/settings/places');
      await page.getByRole('button', { name: 'Add place' }).click();
      const placeDialog = page.getByRole('dialog', { name: 'Add place' });
      await placeDialog.getByLabel('Name').fill(names.place);
      await placeDialog.getByRole('button', { name: 'Add place' }).click();
      await placeDialog.waitFor({ state: 'hidden' });
      await rowOf(page, 'Places', names.place).waitFor();

      await openSection(page, 'Tags', '/settings/tags');
      await page.getByRole('button', { name: 'Add tag' }).click();
      const tagDialog = page.getByRole('dialog', { name: 'Add tag' });
      await tagDialog.getByLabel('Name').fill(names.tag);
      await tagDialog.getByRole('radio', { name: 'Orange' }).check();
      await tagDialog.getByRole('button', { name: 'Add tag' }).click();
      await tagDialog.waitFor({ state: 'hidden' });
      const tagRow = rowOf(page, 'Tags', names.tag);
      await tagRow.waitFor();
      expect(await tagRow.textContent()).toContain('Orange');

      await openSection(page, 'Vendors', '/settings/vendors');
      await page.getByRole('button', { name: 'Add vendor' }).click();
      const vendorDialog = page.getByRole('dialog', { name: 'Add vendor' });
      await vendorDialog.getByLabel('Name').fill(names.vendor);
      await vendorDialog.getByLabel('Website').fill('https://contoso.example');
      await vendorDialog.getByRole('button', { name: 'Add vendor' }).click();
      await vendorDialog.waitFor({ state: 'hidden' });
      const link = rowOf(page, 'Vendors', names.vendor).getByRole('link', { name: 'contoso.example' });
      expect(await link.getAttribute('href')).toBe('https://contoso.example');
    });

    it('DEV-4: the Administrator makes the new place the default for new devices in Settings → Inventory', async () => {
      await openSection(page, 'Inventory', '/settings/inventory');
      const settings = page.getByRole('form', { name: 'Inventory settings' });
      await settings.getByLabel('Default place for new devices').selectOption({ label: names.place });
      await settings.getByRole('button', { name: 'Save inventory settings' }).click();
      await settings.getByText('Inventory settings saved.').waitFor();

      // Read back from the server, not from the page's memory.
      await page.reload();
      const select = page
        .getByRole('form', { name: 'Inventory settings' })
        .getByLabel('Default place for new devices');
      await select.waitFor();
      expect(await select.locator('option:checked').textContent()).toBe(names.place);

      await openSection(page, 'Places', '/settings/places');
      await rowOf(page, 'Places', names.place).getByText('Default place').waitFor();
    });
  },
);
