import { formOf, TestBrowser, trustingFetch } from '../../apps/server/src/platform/auth/dev-idp/testing';
import type { TestServer } from './server';

/** A browser stand-in signed in to a test server through the development provider as one demo person. */
export async function signInAs(server: TestServer, sub: string, returnTo?: string) {
  const browser = new TestBrowser(trustingFetch(server.caPem));
  const start = `${server.url}/auth/sign-in/dev${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`;
  const page = await browser.follow(start);
  const html = await page.response!.text();
  const { action } = formOf(html);
  const landed = await browser.follow(new URL(action, page.url), undefined, { form: { sub } });
  return { browser, landedAt: landed.url, landedResponse: landed.response };
}

/** GET/POST with the browser's cookies, answering parsed JSON; state-changing calls send the CSRF token. */
export async function apiCall(
  server: TestServer,
  browser: TestBrowser,
  path: string,
  init: { method?: string; body?: unknown; csrfToken?: string; origin?: string } = {},
) {
  const fetchWithCookies = trustingFetch(server.caPem);
  const cookie = browser.cookieHeader(new URL(path, server.url));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.csrfToken) headers['x-csrf-token'] = init.csrfToken;
  headers.origin = init.origin ?? server.url;
  const response = await fetchWithCookies(new URL(path, server.url), {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}
