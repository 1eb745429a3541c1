import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../demo-people';
import { DEV_IDP_ACR_MFA } from './provider';
import { CLI_CLIENT, type DevIdpTestServer, startDevIdpTestServer, WEB_CLIENT } from './test-server';
import { formOf, scriptIn, TestBrowser } from './testing';

const ada = DEMO_PEOPLE.find((p) => p.demoRole === 'administrator')!;
const employee = DEMO_PEOPLE.find((p) => p.demoRole === 'employee')!;

describe('development identity provider: authorization code + PKCE (SEC-3)', () => {
  let s: DevIdpTestServer;
  const jwks = async () =>
    createLocalJWKSet((await (await s.fetch(`${s.issuer}/jwks`)).json()) as JSONWebKeySet);

  beforeAll(async () => {
    s = await startDevIdpTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('SEC-3: signs the picked person in through authorization code + PKCE; the ID token verifies against the JWKS', async () => {
    const config = await s.webConfig();
    const nonce = client.randomNonce();
    const { url, verifier, state } = await s.authorizationUrl(config, {
      scope: 'openid profile email',
      nonce,
    });
    const returned = await s.signIn(new TestBrowser(s.fetch), url, ada);
    const tokens = await client.authorizationCodeGrant(config, returned, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(ada.sub);
    expect(claims.email).toBe(ada.email);
    expect(claims.email_verified).toBe(true);
    expect(claims.name).toBe(ada.displayName);
    expect(claims.amr).toEqual(['pwd', 'mfa']);
    expect(claims.acr).toBe(DEV_IDP_ACR_MFA);
    expect(claims.iss).toBe(s.issuer);
    expect(claims.aud).toBe(WEB_CLIENT);

    const published = await (await s.fetch(`${s.issuer}/jwks`)).text();
    expect(published).not.toMatch(/"d":/);
    const verified = await jwtVerify(tokens.id_token!, await jwks(), {
      issuer: s.issuer,
      audience: WEB_CLIENT,
    });
    expect(verified.protectedHeader.alg).toBe('RS256');
    expect(s.current().signingKeyIds).toContain(verified.protectedHeader.kid);
  });

  it('SEC-3: asks whom to sign in as every time, so the next sign-in in the same browser can be someone else', async () => {
    const config = await s.webConfig();
    const browser = new TestBrowser(s.fetch);
    for (const person of [ada, employee]) {
      const { url, verifier, state } = await s.authorizationUrl(config);
      const returned = await s.signIn(browser, url, person);
      const tokens = await client.authorizationCodeGrant(config, returned, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      expect(tokens.claims()?.sub).toBe(person.sub);
    }
  });

  it('SEC-3: discovery advertises code + PKCE S256 only, RS256 ID tokens with amr, and the device endpoint', async () => {
    const response = await s.fetch(`${s.issuer}/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(s.issuer);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.device_authorization_endpoint).toBe(`${s.issuer}/device/auth`);
    expect(metadata.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:device_code');
    expect(metadata.id_token_signing_alg_values_supported).toContain('RS256');
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'amr', 'acr']));
    // Not behind a trusted proxy: X-Forwarded-* from the client are ignored.
    expect(s.current().provider.proxy).toBe(false);
  });

  it('SEC-3: keeps its signing key and client secret across a restart; tokens issued before still verify', async () => {
    const config = await s.webConfig();
    const { url, verifier, state } = await s.authorizationUrl(config);
    const returned = await s.signIn(new TestBrowser(s.fetch), url, employee);
    const tokens = await client.authorizationCodeGrant(config, returned, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const before = s.current();
    const after = s.restart();
    expect(after).not.toBe(before);
    expect(after.signingKeyIds).toEqual(before.signingKeyIds);
    expect(after.clients.get(WEB_CLIENT)!.clientSecret).toBe(before.clients.get(WEB_CLIENT)!.clientSecret);
    const verified = await jwtVerify(tokens.id_token!, await jwks(), {
      issuer: s.issuer,
      audience: WEB_CLIENT,
    });
    expect(verified.payload.sub).toBe(employee.sub);
    expect(decodeProtectedHeader(tokens.id_token!).kid).toBe(before.signingKeyIds[0]);

    const keyDir = join(s.dataDir, 'dev-idp');
    expect(statSync(keyDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(keyDir, 'jwks.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(keyDir, 'clients.json')).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(join(keyDir, 'clients.json'), 'utf8'));
    expect(stored.clients[WEB_CLIENT].clientSecret).toBe(after.clients.get(WEB_CLIENT)!.clientSecret);
    expect(after.clients.get(CLI_CLIENT)!.clientSecret).toBeNull();
  });

  it('SEC-3: refuses a redirect_uri that is not registered, without redirecting to it', async () => {
    const { url } = await s.authorizationUrl(await s.webConfig(), {
      redirect_uri: 'https://evil.example/callback',
    });
    const response = await new TestBrowser(s.fetch).request(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('redirect_uri');
    expect(scriptIn(html)).toEqual([]);
  });

  it('SEC-3: requires PKCE with S256: no code_challenge or the plain method is refused', async () => {
    const config = await s.webConfig();
    const browser = new TestBrowser(s.fetch);
    const withoutPkce = client.buildAuthorizationUrl(config, {
      redirect_uri: s.callback,
      scope: 'openid',
      state: client.randomState(),
    });
    const plain = client.buildAuthorizationUrl(config, {
      redirect_uri: s.callback,
      scope: 'openid',
      code_challenge: client.randomPKCECodeVerifier(),
      code_challenge_method: 'plain',
      state: client.randomState(),
    });
    for (const url of [withoutPkce, plain]) {
      const back = await browser.follow(url, s.callback);
      const params = new URL(back.url).searchParams;
      expect(back.url.startsWith(s.callback)).toBe(true);
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('code')).toBeNull();
    }
  });

  it('SEC-3: refuses the code with the wrong PKCE verifier', async () => {
    const config = await s.webConfig();
    const { url, state } = await s.authorizationUrl(config);
    const returned = await s.signIn(new TestBrowser(s.fetch), url, ada);
    await expect(
      client.authorizationCodeGrant(config, returned, {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('SEC-14: the sign-in page lists every demo person with name, role and e-mail, escaped, with no script', async () => {
    const { url } = await s.authorizationUrl(await s.webConfig());
    const page = await new TestBrowser(s.fetch).follow(url, s.callback);
    const html = await page.response!.text();
    expect(page.response!.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.response!.headers.get('cache-control')).toBe('no-store');
    expect(scriptIn(html)).toEqual([]);
    expect(html).toContain('Development sign-in — not for production');
    for (const person of DEMO_PEOPLE) {
      expect(html).toContain(person.email);
      expect(html).toContain(`value="${person.sub}"`);
    }
    expect(html).toContain('Liam O&#39;Connor');
    expect(html).toContain('Platform administrator');
    const css = await s.fetch(new URL(/<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!, s.base));
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('SEC-3: an interaction page without its cookie (another browser) is refused', async () => {
    const { url } = await s.authorizationUrl(await s.webConfig());
    const page = await new TestBrowser(s.fetch).follow(url, s.callback);
    const action = formOf(await page.response!.text()).action;
    const stranger = await new TestBrowser(s.fetch).request(new URL(action, s.base), {
      form: { sub: ada.sub },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get('location')).toBeNull();
  });

  it('SEC-3: a person who is not in the demo cast cannot be posted', async () => {
    const { url } = await s.authorizationUrl(await s.webConfig());
    const browser = new TestBrowser(s.fetch);
    const page = await browser.follow(url, s.callback);
    const { action } = formOf(await page.response!.text());
    const answer = await browser.request(new URL(action, s.base), { form: { sub: 'someone-else' } });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
  });

  it('SEC-3: Cancel on the sign-in page returns access_denied to the app, with no code', async () => {
    const { url, state } = await s.authorizationUrl(await s.webConfig());
    const browser = new TestBrowser(s.fetch);
    const page = await browser.follow(url, s.callback);
    const cancel = formOf(await page.response!.text(), 1);
    expect(cancel.action).toMatch(/\/abort$/);
    const back = await browser.follow(new URL(cancel.action, s.base), s.callback, { form: {} });
    const params = new URL(back.url).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe(state);
    expect(params.get('code')).toBeNull();
  });

  it('SEC-14: response_mode=form_post is answered with a Continue button, not an auto-submitting script', async () => {
    const { url, state } = await s.authorizationUrl(await s.webConfig(), { response_mode: 'form_post' });
    const browser = new TestBrowser(s.fetch);
    const page = await browser.follow(url, s.callback);
    const { action } = formOf(await page.response!.text());
    const answer = await browser.follow(new URL(action, s.base), s.callback, { form: { sub: ada.sub } });
    expect(answer.response?.status).toBe(200);
    expect(answer.response!.headers.get('content-security-policy')).not.toContain('sha256-');
    const html = await answer.response!.text();
    expect(scriptIn(html)).toEqual([]);
    const form = formOf(html);
    expect(form.action).toBe(s.callback);
    expect(form.fields.state).toBe(state);
    expect(form.fields.code).toBeTruthy();
  });
});
