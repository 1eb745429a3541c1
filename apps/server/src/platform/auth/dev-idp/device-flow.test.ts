import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PEOPLE, type DemoPerson } from '../../../demo-people';
import { DEV_IDP_WARNING } from './pages';
import { type DevIdpTestServer, startDevIdpTestServer } from './test-server';
import { formOf, scriptIn, TestBrowser, type TrustingFetch } from './testing';

const ada = DEMO_PEOPLE.find((p) => p.demoRole === 'administrator')!;
const employee = DEMO_PEOPLE.find((p) => p.demoRole === 'employee')!;

describe('development identity provider: device authorization grant (SEC-3)', () => {
  let s: DevIdpTestServer;

  beforeAll(async () => {
    s = await startDevIdpTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  /** What the person at the browser does: enter the code, confirm it, pick `person`; returns the last page. */
  const connect = async (
    browser: TestBrowser,
    userCode: string,
    verificationUri: string,
    person: DemoPerson,
  ) => {
    const inputHtml = await (await browser.request(verificationUri)).text();
    expect(inputHtml).toContain(DEV_IDP_WARNING);
    expect(scriptIn(inputHtml)).toEqual([]);
    const input = formOf(inputHtml);
    const confirmHtml = await (
      await browser.request(new URL(input.action, s.base), { form: { ...input.fields, user_code: userCode } })
    ).text();
    expect(confirmHtml).toContain(userCode);
    expect(scriptIn(confirmHtml)).toEqual([]);
    const confirm = formOf(confirmHtml);
    const login = await browser.follow(new URL(confirm.action, s.base), undefined, {
      form: { ...confirm.fields, confirm: 'yes' },
    });
    const loginHtml = await login.response!.text();
    expect(loginHtml).toContain(person.email);
    const done = await browser.follow(new URL(formOf(loginHtml).action, s.base), undefined, {
      form: { sub: person.sub },
    });
    expect(done.response?.status).toBe(200);
    return done.response!.text();
  };

  it('SEC-3: device authorization → user code page → pick a person → the polling client gets tokens', async () => {
    const config = await s.cliConfig();
    const device = await client.initiateDeviceAuthorization(config, { scope: 'openid profile email' });
    expect(device.verification_uri).toBe(`${s.issuer}/device`);
    let pending = 0;
    const counting: TrustingFetch = async (url, init) => {
      const response = await s.fetch(url, init);
      if (
        String(url).endsWith('/token') &&
        (await response.clone().text()).includes('authorization_pending')
      ) {
        pending += 1;
      }
      return response;
    };
    config[client.customFetch] = counting;
    // A short interval keeps the test quick; the client polls until the person has been picked.
    const polling = client.pollDeviceAuthorizationGrant(config, { ...device, interval: 0.05 });
    await vi.waitFor(() => expect(pending).toBeGreaterThan(0));

    const last = await connect(new TestBrowser(s.fetch), device.user_code, device.verification_uri, employee);
    expect(last).toContain('Device connected');

    const tokens = await polling;
    expect(tokens.access_token).toBeTruthy();
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(employee.sub);
    expect(claims.email).toBe(employee.email);
    expect(claims.amr).toEqual(['pwd', 'mfa']);
    expect(claims.aud).toBe('thestorage-cli');
  });

  it('SEC-3: a wrong user code is refused and signs no one in', async () => {
    const browser = new TestBrowser(s.fetch);
    const input = formOf(await (await browser.request(`${s.issuer}/device`)).text());
    const answer = await browser.request(new URL(input.action, s.base), {
      form: { ...input.fields, user_code: 'BCDF-GHJK' },
    });
    expect(answer.headers.get('location')).toBeNull();
    const html = await answer.text();
    expect(html).toContain('not valid');
    expect(html).not.toContain(ada.email);
  });

  it('SEC-14: the device link with the code filled in needs no script: a Continue button, then confirmation', async () => {
    const device = await client.initiateDeviceAuthorization(await s.cliConfig(), { scope: 'openid' });
    const browser = new TestBrowser(s.fetch);
    const page = await browser.request(device.verification_uri_complete!);
    const html = await page.text();
    expect(scriptIn(html)).toEqual([]);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('sha256-');
    const form = formOf(html);
    const confirm = await browser.request(new URL(form.action, s.base), { form: form.fields });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(device.user_code);
  });

  it('SEC-3: one browser signs in to the web app as one person and then connects the CLI as another', async () => {
    const browser = new TestBrowser(s.fetch);
    const web = await s.webConfig();
    const { url, verifier, state } = await s.authorizationUrl(web);
    const tokens = await client.authorizationCodeGrant(web, await s.signIn(browser, url, ada), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()?.sub).toBe(ada.sub);

    const cli = await s.cliConfig();
    const device = await client.initiateDeviceAuthorization(cli, { scope: 'openid' });
    expect(await connect(browser, device.user_code, device.verification_uri, employee)).toContain(
      'Device connected',
    );
    const cliTokens = await client.pollDeviceAuthorizationGrant(cli, { ...device, interval: 0.05 });
    expect(cliTokens.claims()?.sub).toBe(employee.sub);
  });
});
