import { SignInError } from './sign-in-error';
import type { ProviderKind, VerifiedIdentity } from './types';

export const MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com';
/** The Microsoft Account (personal accounts) tenant. */
export const MICROSOFT_CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const GOOGLE_ISSUER = 'https://accounts.google.com';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What an organization configures per provider. Base URLs default to the real services and are
 * overridable so tests (and sovereign clouds) can point them elsewhere.
 */
export type ProviderSettings =
  /**
   * `'any-organization'`: the service's own multi-tenant app registration, where any work tenant may
   * sign in and the organization's registered tenant ids are checked afterwards, against memberships.
   */
  | { kind: 'entra'; allowedEntraTenantIds: string[] | 'any-organization'; authorityBaseUrl?: string }
  | { kind: 'microsoft-account'; authorityBaseUrl?: string }
  /** `'any-workspace'`: any Google Workspace domain (still never a consumer account); see Entra. */
  | { kind: 'google'; allowedDomains: string[] | 'any-workspace'; issuerUrl?: string }
  | { kind: 'oidc'; issuerUrl: string }
  | { kind: 'dev'; issuerUrl: string };

export type IdTokenClaims = Record<string, unknown>;

/** A provider kind as data and functions: where to discover it and how to read its tokens. */
export interface ProviderPreset {
  kind: ProviderKind;
  discoveryUrl: string;
  /** Whether the discovery document's `issuer` is the one this provider must publish. */
  acceptsDiscoveredIssuer(issuer: string): boolean;
  /** The `iss` an ID token must carry, from its unverified claims (Entra names its tenant there). */
  expectedIssuer(discoveredIssuer: string, unverifiedClaims: IdTokenClaims): string | null;
  /** Extra parameters for the authorization request (hints only: nothing relies on them). */
  authorizationParameters: Record<string, string>;
  /** Reads the identity from verified claims; refuses tenants and domains the organization did not allow. */
  identify(claims: IdTokenClaims, issuer: string): VerifiedIdentity;
}

export function presetFor(settings: ProviderSettings): ProviderPreset {
  switch (settings.kind) {
    case 'entra':
      return entraPreset(settings.allowedEntraTenantIds, settings.authorityBaseUrl ?? MICROSOFT_AUTHORITY);
    case 'microsoft-account':
      return microsoftAccountPreset(settings.authorityBaseUrl ?? MICROSOFT_AUTHORITY);
    case 'google':
      return googlePreset(settings.allowedDomains, settings.issuerUrl ?? GOOGLE_ISSUER);
    case 'oidc':
    case 'dev':
      return genericPreset(settings.kind, settings.issuerUrl);
  }
}

/** Work accounts through the multi-tenant endpoint; identity = tenant id + object id. */
function entraPreset(
  allowedTenantIds: string[] | 'any-organization',
  authorityBaseUrl: string,
): ProviderPreset {
  const authority = withoutTrailingSlash(authorityBaseUrl);
  const anyTenant = allowedTenantIds === 'any-organization';
  const allowed = new Set(anyTenant ? [] : allowedTenantIds.map((id) => id.toLowerCase()));
  for (const id of allowed) {
    if (!GUID.test(id)) throw new TypeError(`Entra tenant id "${id}" is not a GUID`);
  }
  if (allowed.has(MICROSOFT_CONSUMER_TENANT_ID)) {
    throw new TypeError(
      'The Microsoft Account tenant is not an Entra tenant: use the microsoft-account kind',
    );
  }
  if (allowed.size === 0 && !anyTenant) throw new TypeError('Entra needs at least one allowed tenant id');
  const issuerTemplate = `${authority}/{tenantid}/v2.0`;
  return {
    kind: 'entra',
    discoveryUrl: `${authority}/organizations/v2.0/.well-known/openid-configuration`,
    acceptsDiscoveredIssuer: (issuer) => issuer === issuerTemplate,
    expectedIssuer(discoveredIssuer, claims) {
      const tid = claims.tid;
      if (typeof tid !== 'string' || !GUID.test(tid.toLowerCase())) return null;
      return discoveredIssuer.replace('{tenantid}', tid);
    },
    authorizationParameters: { prompt: 'select_account' },
    identify(claims, issuer) {
      const tid = stringClaim(claims, 'tid')?.toLowerCase();
      if (!tid || tid === MICROSOFT_CONSUMER_TENANT_ID || !(anyTenant || allowed.has(tid))) {
        throw new SignInError('unknown_entra_tenant');
      }
      const oid = stringClaim(claims, 'oid');
      if (!oid)
        throw new SignInError('provider_error', { message: 'The Entra sign-in carries no object id.' });
      const email = stringClaim(claims, 'email') ?? upnAsEmail(claims);
      return {
        ...commonIdentity('entra', issuer, claims),
        subject: `${tid}:${oid}`,
        email,
        tenantId: tid,
        employeeIdentity: `${tid}:${oid}`,
      };
    },
  };
}

/** Personal Microsoft accounts: only the consumer tenant. */
function microsoftAccountPreset(authorityBaseUrl: string): ProviderPreset {
  const authority = withoutTrailingSlash(authorityBaseUrl);
  const issuer = `${authority}/${MICROSOFT_CONSUMER_TENANT_ID}/v2.0`;
  return {
    kind: 'microsoft-account',
    discoveryUrl: `${authority}/consumers/v2.0/.well-known/openid-configuration`,
    acceptsDiscoveredIssuer: (discovered) => discovered === issuer,
    expectedIssuer: () => issuer,
    authorizationParameters: { prompt: 'select_account' },
    identify(claims, verifiedIssuer) {
      const tid = stringClaim(claims, 'tid')?.toLowerCase();
      if (tid !== undefined && tid !== MICROSOFT_CONSUMER_TENANT_ID) throw new SignInError('issuer_mismatch');
      return {
        ...commonIdentity('microsoft-account', verifiedIssuer, claims),
        email: stringClaim(claims, 'email') ?? upnAsEmail(claims),
        tenantId: MICROSOFT_CONSUMER_TENANT_ID,
      };
    },
  };
}

/** Google Workspace: identity = sub; only the organization's verified `hd` domains. */
function googlePreset(allowedDomains: string[] | 'any-workspace', issuerUrl: string): ProviderPreset {
  const anyDomain = allowedDomains === 'any-workspace';
  const allowed = new Set(anyDomain ? [] : allowedDomains.map((domain) => domain.toLowerCase()));
  if (allowed.size === 0 && !anyDomain)
    throw new TypeError('Google Workspace needs at least one allowed domain');
  const [onlyDomain] = allowed;
  return {
    kind: 'google',
    discoveryUrl: `${withoutTrailingSlash(issuerUrl)}/.well-known/openid-configuration`,
    acceptsDiscoveredIssuer: (issuer) => issuer === issuerUrl,
    expectedIssuer: (discoveredIssuer) => discoveredIssuer,
    // The `hd` parameter only narrows Google's account picker; the `hd` claim is what is checked.
    authorizationParameters: allowed.size === 1 && onlyDomain ? { hd: onlyDomain } : {},
    identify(claims, issuer) {
      const hd = stringClaim(claims, 'hd')?.toLowerCase();
      // A consumer Gmail account has no `hd`; an unverified e-mail proves nothing about the domain.
      if (!hd || !(anyDomain || allowed.has(hd)) || claims.email_verified !== true) {
        throw new SignInError('domain_not_allowed');
      }
      const identity = commonIdentity('google', issuer, claims);
      return { ...identity, hostedDomain: hd, employeeIdentity: identity.subject };
    },
  };
}

/** Any standards-compliant provider (Okta, Auth0, Keycloak…), and the development provider. */
function genericPreset(kind: 'oidc' | 'dev', issuerUrl: string): ProviderPreset {
  return {
    kind,
    discoveryUrl: `${withoutTrailingSlash(issuerUrl)}/.well-known/openid-configuration`,
    // Auth0 publishes its issuer with a trailing slash, Keycloak without: accept either spelling.
    acceptsDiscoveredIssuer: (issuer) => withoutTrailingSlash(issuer) === withoutTrailingSlash(issuerUrl),
    expectedIssuer: (discoveredIssuer) => discoveredIssuer,
    authorizationParameters: {},
    identify: (claims, issuer) => {
      const identity = commonIdentity(kind, issuer, claims);
      if (kind !== 'dev') return identity;
      // The development provider speaks for the demo directory, Entra-style: `tid` + `oid`.
      const tid = stringClaim(claims, 'tid')?.toLowerCase();
      const oid = stringClaim(claims, 'oid')?.toLowerCase();
      return tid && oid ? { ...identity, employeeIdentity: `${tid}:${oid}` } : identity;
    },
  };
}

function commonIdentity(kind: ProviderKind, issuer: string, claims: IdTokenClaims): VerifiedIdentity {
  const subject = stringClaim(claims, 'sub');
  if (!subject) throw new SignInError('provider_error', { message: 'The sign-in carries no subject.' });
  return {
    providerKind: kind,
    issuer,
    subject,
    email: stringClaim(claims, 'email') ?? null,
    // Only the provider's own statement counts: Entra's `email` claim, for one, is not verified.
    emailVerified: claims.email_verified === true,
    name: stringClaim(claims, 'name') ?? null,
    amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [],
    acr: stringClaim(claims, 'acr') ?? null,
    authTime: typeof claims.auth_time === 'number' ? claims.auth_time : null,
  };
}

function upnAsEmail(claims: IdTokenClaims): string | null {
  const upn = stringClaim(claims, 'preferred_username');
  return upn?.includes('@') ? upn : null;
}

function stringClaim(claims: IdTokenClaims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
