import { describe, expect, it } from 'vitest';
import { showsMfa } from './mfa';
import { GOOGLE_ISSUER, MICROSOFT_CONSUMER_TENANT_ID, presetFor } from './provider-presets';
import type { SignInError } from './sign-in-error';

const TENANT = '3f2a1c4e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as SignInError).reason;
  }
  return undefined;
}

describe('provider presets', () => {
  it('SEC-4: Entra uses the multi-tenant endpoint and expects the issuer of the tenant in the token', () => {
    const entra = presetFor({ kind: 'entra', allowedEntraTenantIds: [TENANT.toUpperCase()] });
    expect(entra.discoveryUrl).toBe(
      'https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration',
    );
    const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    expect(entra.acceptsDiscoveredIssuer(template)).toBe(true);
    expect(entra.acceptsDiscoveredIssuer('https://login.microsoftonline.com/common/v2.0')).toBe(false);
    expect(entra.expectedIssuer(template, { tid: TENANT })).toBe(
      `https://login.microsoftonline.com/${TENANT}/v2.0`,
    );
    expect(entra.expectedIssuer(template, { tid: '../evil' })).toBeNull();
    expect(entra.expectedIssuer(template, {})).toBeNull();
    const identity = entra.identify({ sub: 's', tid: TENANT, oid: 'o' }, 'iss');
    expect(identity.subject).toBe(`${TENANT}:o`);
    expect(
      reasonOf(() => entra.identify({ sub: 's', tid: MICROSOFT_CONSUMER_TENANT_ID, oid: 'o' }, 'iss')),
    ).toBe('unknown_entra_tenant');
  });

  it('SEC-4: Entra configuration refuses the consumer tenant, non-GUIDs and an empty list', () => {
    expect(() => presetFor({ kind: 'entra', allowedEntraTenantIds: [MICROSOFT_CONSUMER_TENANT_ID] })).toThrow(
      /microsoft-account/,
    );
    expect(() => presetFor({ kind: 'entra', allowedEntraTenantIds: ['contoso.com'] })).toThrow(/GUID/);
    expect(() => presetFor({ kind: 'entra', allowedEntraTenantIds: [] })).toThrow(/at least one/);
  });

  it('SEC-4: Microsoft Account accepts only the consumer tenant issuer', () => {
    const msa = presetFor({ kind: 'microsoft-account' });
    const issuer = `https://login.microsoftonline.com/${MICROSOFT_CONSUMER_TENANT_ID}/v2.0`;
    expect(msa.discoveryUrl).toBe(
      'https://login.microsoftonline.com/consumers/v2.0/.well-known/openid-configuration',
    );
    expect(msa.acceptsDiscoveredIssuer(issuer)).toBe(true);
    expect(msa.expectedIssuer(issuer, { tid: TENANT })).toBe(issuer);
  });

  it('SEC-4: Google defaults to accounts.google.com and hints the single allowed domain', () => {
    const google = presetFor({ kind: 'google', allowedDomains: ['Example.com'] });
    expect(google.discoveryUrl).toBe(`${GOOGLE_ISSUER}/.well-known/openid-configuration`);
    expect(google.acceptsDiscoveredIssuer(GOOGLE_ISSUER)).toBe(true);
    expect(google.authorizationParameters).toEqual({ hd: 'example.com' });
    expect(() => presetFor({ kind: 'google', allowedDomains: [] })).toThrow(/at least one/);
  });

  it('SEC-4: generic OIDC discovers from the issuer URL and accepts it with or without a trailing slash', () => {
    const okta = presetFor({ kind: 'oidc', issuerUrl: 'https://tenant.okta.example/oauth2/default' });
    expect(okta.discoveryUrl).toBe(
      'https://tenant.okta.example/oauth2/default/.well-known/openid-configuration',
    );
    expect(okta.acceptsDiscoveredIssuer('https://tenant.okta.example/oauth2/default/')).toBe(true);
    expect(okta.acceptsDiscoveredIssuer('https://tenant.okta.example/')).toBe(false);
  });

  it('SEC-3: MFA shows in amr (mfa, otp, hardware key…) or a multi-factor acr, never in a password alone', () => {
    expect(showsMfa(['pwd', 'mfa'], null)).toBe(true);
    expect(showsMfa(['hwk'], null)).toBe(true);
    expect(showsMfa(['otp', 'pwd'], null)).toBe(true);
    expect(showsMfa(['pwd'], null)).toBe(false);
    expect(showsMfa([], null)).toBe(false);
    expect(showsMfa([], 'http://schemas.openid.net/pape/policies/2007/06/multi-factor')).toBe(true);
    expect(showsMfa([], 'gold', ['gold'])).toBe(true);
    expect(showsMfa([], '1')).toBe(false);
  });
});
