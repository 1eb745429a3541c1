/** The identity-provider families an organization can connect (plus the development provider). */
export type ProviderKind = 'entra' | 'microsoft-account' | 'google' | 'oidc' | 'dev';

/**
 * A person as proven by their identity provider (SEC-4): issuer + subject is the identity,
 * never the e-mail alone. For Entra the subject is `${tid}:${oid}`, elsewhere the `sub` claim.
 */
export interface VerifiedIdentity {
  providerKind: ProviderKind;
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** Entra tenant id (`tid`). */
  tenantId?: string;
  /** Google Workspace domain (`hd`). */
  hostedDomain?: string;
  /**
   * The identity employee references are computed from (SEC-6), as a directory sync sees the person:
   * Entra `tid:oid`, Google `sub`; absent for providers without an organization directory.
   */
  employeeIdentity?: string;
  amr: string[];
  acr: string | null;
  /** Seconds since the epoch, when the provider last authenticated the person. */
  authTime: number | null;
}

/**
 * What a started sign-in must remember server-side until the provider redirects back. It holds the
 * PKCE verifier: store it on the server only, bound to the browser by its `state`.
 */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Same-site path to open after sign-in. */
  returnTo: string;
  /** Which relying party started it (kind + client id + discovery URL). */
  provider: string;
  /** Seconds since the epoch. */
  createdAt: number;
  expiresAt: number;
}
