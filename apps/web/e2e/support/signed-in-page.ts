import type { Page } from 'playwright-core';
import { type ChromiumSession, launchChromium } from './browser';
import { startTestServer, type TestServer } from './server';
import { signInAs } from './sign-in';

export interface SignedInPage {
  server: TestServer;
  browser: ChromiumSession;
  page: Page;
  /** Uncaught errors of the app on `page` since it opened. */
  pageErrors: string[];
  /** Closes the browser, then the server. */
  close(): Promise<void>;
}

export interface SignedInPageOptions {
  /** A demo person, "Ada Admin" unless told. */
  person?: string;
  /** Where the app is opened; sign-in comes back here. */
  startPath: string;
  /** The level-1 heading that says the page at `startPath` is there. */
  heading: string;
}

/**
 * The usual start of a browser test file (in its beforeAll; `close` in its afterAll): the real server,
 * Chromium trusting its certificate, one page that records the app's uncaught errors, signed in as a demo
 * person at `startPath` and showing its heading. What was started is closed again when a step fails.
 */
export async function openSignedInPage({
  person = 'Ada Admin',
  startPath,
  heading,
}: SignedInPageOptions): Promise<SignedInPage> {
  const server = await startTestServer();
  let browser: ChromiumSession | undefined;
  const close = async () => {
    await browser?.close();
    await server.close();
  };
  try {
    browser = await launchChromium({ trustCertificatePem: server.certPem });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInAs(page, server.url, person, startPath);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    return { server, browser, page, pageErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
