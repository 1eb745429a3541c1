import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumSession, launchChromium, runBrowserTests } from './support/browser';
import { startTestServer, type TestServer } from './support/server';
import { signInAs } from './support/sign-in';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const screenshotPath = join(repoRoot, 'docs', 'screenshot.png');

interface PageProblems {
  console: string[];
  pageErrors: string[];
  cspViolations(): Promise<string[]>;
}

/** Records everything the page complains about: console errors, uncaught errors and CSP reports. */
function watch(page: Page): PageProblems {
  const problems = { console: [] as string[], pageErrors: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.console.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  return {
    ...problems,
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []),
  };
}

async function openDashboard(page: Page, url: string) {
  const response = await page.goto(url, { waitUntil: 'load' });
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  // Real data from /health and /ready, not just the frame.
  await page.getByTestId('certificate-days').waitFor();
  await page
    .getByText(/^Ready · /)
    .first()
    .waitFor();
  return response;
}

describe.skipIf(!runBrowserTests)('the web shell in Chromium', () => {
  let server: TestServer;
  let browser: ChromiumSession;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium({ trustCertificatePem: server.certPem });
    // CSP reports are DOM events: collect them from the first script that runs in every document.
    await browser.context.addInitScript(() => {
      const reports: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = reports;
      document.addEventListener('securitypolicyviolation', (event) => {
        reports.push(
          `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile})`,
        );
      });
    });
    // The shell is behind sign-in: the session cookie of this sign-in serves every page of the context.
    const page = await browser.newPage();
    await signInAs(page, server.url, 'Ada Admin');
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('SEC-1: the web shell loads over HTTPS in Chromium', async () => {
    expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
    const page = await browser.newPage();
    const problems = watch(page);
    const response = await openDashboard(page, server.url);

    expect(response?.ok()).toBe(true);
    expect(new URL(page.url()).protocol).toBe('https:');
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(await page.title()).toBe('Dashboard · TheStorage');
    const sidebar = page.getByRole('navigation', { name: 'Main navigation' });
    await sidebar.waitFor();
    expect(await sidebar.getByRole('link').allTextContents()).toEqual([
      'Dashboard',
      'Devices',
      'Employees',
      'Software',
      'Audit',
      'Store',
      'Settings',
      'Users & Roles',
    ]);

    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: false });
    }

    await sidebar.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/devices');
    await page.getByRole('region', { name: 'Filters' }).waitFor();

    // A deep link is answered by the SPA fallback, still over HTTPS.
    await page.goto(`${server.url}/settings`);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.console).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  });

  it('SEC-14: no CSP violations and no inline script', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    const response = await openDashboard(page, server.url);

    // The test means something only if the policy forbids inline and eval'd script in the first place.
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    const directives = new Map(
      csp.split(';').map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    expect(directives.get('script-src') ?? directives.get('default-src')).toBe("'self'");

    const inlineScripts = await page.$$eval('script:not([src])', (scripts) =>
      scripts.map((s) => s.outerHTML),
    );
    expect(inlineScripts).toEqual([]);
    expect(await page.$$eval('script[src]', (scripts) => scripts.length)).toBeGreaterThan(0);
    const handlerAttributes = await page.$$eval('*', (elements) =>
      elements.flatMap((element) =>
        [...element.attributes].filter((attribute) => attribute.name.startsWith('on')).map((a) => a.name),
      ),
    );
    expect(handlerAttributes).toEqual([]);

    // Use the interactive parts too: menus and the theme toggle must not trip the policy either.
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    await page.getByRole('button', { name: 'Switch to light mode' }).waitFor();
    await page.getByRole('button', { name: 'Account: Ada Admin' }).click();
    await page.getByRole('menuitem', { name: 'My devices' }).waitFor();
    await page.keyboard.press('Escape');

    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.console).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  });

  it('SHELL-1: on a phone the sidebar hides behind the burger button', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await openDashboard(page, server.url);

    const sidebar = page.locator('nav[aria-label="Main navigation"]');
    const horizontalExtent = async () => {
      const box = await sidebar.boundingBox();
      return box ? { left: Math.round(box.x), right: Math.round(box.x + box.width) } : null;
    };
    const burger = page.getByRole('button', { name: 'Open navigation' });
    await burger.waitFor({ state: 'visible' });
    expect((await horizontalExtent())?.right).toBeLessThanOrEqual(0);
    expect(await sidebar.getAttribute('inert')).not.toBeNull();

    await burger.click();
    await page.getByRole('button', { name: 'Close navigation' }).waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('nav[aria-label="Main navigation"]')?.getBoundingClientRect().left ?? -1) >=
        0,
    );
    expect((await horizontalExtent())?.left).toBe(0);
    expect(await sidebar.getAttribute('inert')).toBeNull();

    await sidebar.getByRole('link', { name: 'Employees' }).click();
    await page.getByRole('heading', { level: 1, name: 'Employees' }).waitFor();
    await page.getByRole('button', { name: 'Open navigation' }).waitFor();

    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
