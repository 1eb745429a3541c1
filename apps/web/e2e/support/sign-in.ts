import type { Page } from 'playwright-core';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Signs in through the development identity provider as the demo person named `person`, starting at
 * `startPath` (the app sends a signed-out visitor to sign-in and back there afterwards).
 */
export async function signInAs(page: Page, baseUrl: string, person: string, startPath = '/'): Promise<void> {
  await page.goto(`${baseUrl}${startPath}`);
  await page.getByRole('link', { name: /Development sign-in/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/dev-idp/'));
  // Each demo person is a button whose name starts with theirs ("Ada Admin Administrator ada.admin@…").
  await page.getByRole('button', { name: new RegExp(`^\\s*${escapeRegExp(person)}\\b`) }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/dev-idp') && !url.pathname.startsWith('/auth/'));
  await page.getByRole('button', { name: `Account: ${person}` }).waitFor();
}
