import { randomBytes } from 'node:crypto';
import Provider, { type Account, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { DEMO_DIRECTORY_TENANT_ID, demoObjectId } from '../../../demo-directory';
import { DEMO_PEOPLE, type DemoPerson } from '../../../demo-people';
import { devIdpDirectory, loadOrCreateClientSecrets, loadOrCreateSigningKeys } from './key-files';
import { createMemoryAdapterFactory } from './memory-adapter';
import {
  renderDeviceSuccessPage,
  renderLogoutPage,
  renderMessagePage,
  renderUserCodeConfirmPage,
  renderUserCodeInputPage,
  STYLESHEET_PATH,
} from './pages';
import { scriptFreePages } from './script-free';

/** `acr` of a sign-in that presented a second factor (the OpenID PAPE multi-factor policy). */
export const DEV_IDP_ACR_MFA = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
/** `acr` of a password-only sign-in. */
export const DEV_IDP_ACR_PASSWORD = 'urn:thestorage:dev-idp:password';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A first-party client of the development provider. */
export type DevIdpClientSpec =
  /** The web app: confidential (client_secret_basic), authorization code + PKCE. */
  | {
      kind: 'web';
      clientId: string;
      clientName?: string;
      redirectUris: string[];
      postLogoutRedirectUris?: string[];
    }
  /** The command-line client: public (no secret), device authorization grant. */
  | { kind: 'cli'; clientId: string; clientName?: string };

export interface DevIdpClient {
  kind: 'web' | 'cli';
  clientId: string;
  clientName: string;
  /** Generated once and kept in `${dataDir}/dev-idp/clients.json`; null for the public CLI client. */
  clientSecret: string | null;
}

export interface DevIdentityProviderOptions {
  /** e.g. https://localhost:8443/dev-idp — its path is where the provider must be mounted. */
  issuer: string;
  dataDir: string;
  clients: DevIdpClientSpec[];
  /** Who can be picked on the sign-in page; default the demo cast. */
  people?: readonly DemoPerson[];
  /** Called with errors oidc-provider answers with server_error, for the app's log. */
  onServerError?: (error: unknown) => void;
}

export interface DevIdentityProvider {
  issuer: string;
  /** The issuer's path (e.g. /dev-idp): the prefix it must be mounted under. */
  mountPath: string;
  provider: Provider;
  clients: ReadonlyMap<string, DevIdpClient>;
  people: readonly DemoPerson[];
  /** Key ids of the ID-token signing keys (stable across restarts). */
  signingKeyIds: string[];
}

/** The development provider runs in the embedded default; in production only when explicitly enabled. */
export function devIdentityProviderEnabled(
  mode: 'embedded' | 'production',
  explicitSetting?: boolean,
): boolean {
  return explicitSetting ?? mode === 'embedded';
}

export function acrFor(amr: readonly string[]): string {
  return amr.includes('mfa') ? DEV_IDP_ACR_MFA : DEV_IDP_ACR_PASSWORD;
}

function stylesheetOf(mountPath: string): string {
  return `${mountPath}${STYLESHEET_PATH}`;
}

function clientNameOf(ctx: KoaContextWithOIDC): string {
  const client = ctx.oidc?.client;
  return client?.clientName ?? client?.clientId ?? 'An application';
}

function clientMetadata(spec: DevIdpClientSpec, secret: string | null): Record<string, unknown> {
  const common = { client_id: spec.clientId, client_name: spec.clientName ?? spec.clientId };
  if (spec.kind === 'web') {
    return {
      ...common,
      client_secret: secret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: spec.redirectUris,
      post_logout_redirect_uris: spec.postLogoutRedirectUris ?? [],
      id_token_signed_response_alg: 'RS256',
    };
  }
  return {
    ...common,
    token_endpoint_auth_method: 'none',
    grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
    response_types: [],
    redirect_uris: [],
    id_token_signed_response_alg: 'RS256',
  };
}

/**
 * The development identity provider: a real OpenID Connect provider (oidc-provider 8) that signs in whichever
 * demo person is picked. Authorization code with PKCE S256 only, the device authorization grant for the CLI,
 * ID tokens signed with a key kept in `${dataDir}/dev-idp/jwks.json`. Its state (sessions, codes, tokens) is
 * in memory: one process, as in the embedded default.
 */
export function createDevIdentityProvider(options: DevIdentityProviderOptions): DevIdentityProvider {
  const issuerUrl = new URL(options.issuer);
  if (issuerUrl.protocol !== 'https:')
    throw new Error('the development provider issuer must be an https URL');
  if (issuerUrl.search || issuerUrl.hash)
    throw new Error('the development provider issuer has no query or fragment');
  const mountPath = issuerUrl.pathname.replace(/\/$/, '');
  if (mountPath === '') throw new Error('the development provider issuer needs a path, e.g. /dev-idp');
  const issuer = `${issuerUrl.origin}${mountPath}`;
  const people = options.people ?? DEMO_PEOPLE;
  const bySub = new Map(people.map((p) => [p.sub, p]));
  const stylesheet = stylesheetOf(mountPath);

  const dir = devIdpDirectory(options.dataDir);
  const jwks = loadOrCreateSigningKeys(dir);
  const secrets = loadOrCreateClientSecrets(
    dir,
    options.clients.filter((c) => c.kind === 'web').map((c) => c.clientId),
  );
  const clients = new Map<string, DevIdpClient>(
    options.clients.map((spec) => [
      spec.clientId,
      {
        kind: spec.kind,
        clientId: spec.clientId,
        clientName: spec.clientName ?? spec.clientId,
        clientSecret: secrets.get(spec.clientId) ?? null,
      },
    ]),
  );

  // Always ask whom to sign in as (the provider's own session never picks for the user), so switching demo
  // people needs no sign-out; the check is satisfied once this request's login interaction has a result.
  const policy = interactionPolicy.base();
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check(
        'pick_a_demo_person',
        'the development provider asks whom to sign in as on every request',
        'login_required',
        (ctx) => !ctx.oidc.result?.login,
      ),
    );

  // Cookie signing keys live only as long as the process, like the sessions they protect.
  const cookieOptions = { httpOnly: true, sameSite: 'lax', signed: true };

  const provider = new Provider(issuer, {
    adapter: createMemoryAdapterFactory(),
    clients: options.clients.map((spec) => clientMetadata(spec, secrets.get(spec.clientId) ?? null)),
    jwks,
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      names: { session: 'dev_idp_session', interaction: 'dev_idp_interaction', resume: 'dev_idp_resume' },
      // The provider's session cookie stays under its own path; interaction cookies get theirs per interaction.
      long: { ...cookieOptions, path: mountPath },
      short: cookieOptions,
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      // acr, amr and auth_time ride with `openid`, so every ID token says how the person signed in.
      // tid + oid as Entra sends them: the demo directory's ids, so employee references match (SEC-6).
      openid: ['sub', 'acr', 'amr', 'auth_time', 'tid', 'oid'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
      sid: null,
      iss: null,
    },
    // Like Entra and Google, the ID token itself carries the profile and e-mail claims.
    conformIdTokenClaims: false,
    acrValues: [DEV_IDP_ACR_MFA, DEV_IDP_ACR_PASSWORD],
    responseTypes: ['code'],
    pkce: { methods: ['S256'], required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: () => false,
    async findAccount(_ctx: unknown, sub: string): Promise<Account | undefined> {
      const person = bySub.get(sub);
      if (!person) return undefined;
      return {
        accountId: person.sub,
        claims: () => ({
          sub: person.sub,
          ...(person.demoRole === 'platform-admin'
            ? {}
            : { tid: DEMO_DIRECTORY_TENANT_ID, oid: demoObjectId(person.sub) }),
          name: person.displayName,
          given_name: person.givenName,
          family_name: person.familyName,
          preferred_username: person.email,
          email: person.email,
          email_verified: true,
        }),
      };
    },
    interactions: {
      policy,
      url: (_ctx: unknown, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        async userCodeInputSource(ctx: KoaContextWithOIDC, _form: string, _out: unknown, err?: Error) {
          const error = !err
            ? undefined
            : err.name === 'AbortedError'
              ? 'The sign-in was aborted. Enter the code again to start over.'
              : 'That code is not valid or has expired. Check the code on your device and try again.';
          ctx.type = 'html';
          ctx.body = renderUserCodeInputPage({
            stylesheet,
            action: ctx.oidc.urlFor('code_verification'),
            xsrf: ctx.oidc.session?.state?.secret ?? '',
            ...(error ? { error } : {}),
          });
        },
        async userCodeConfirmSource(
          ctx: KoaContextWithOIDC,
          _form: string,
          _client: unknown,
          _deviceInfo: unknown,
          userCode: string,
        ) {
          ctx.type = 'html';
          ctx.body = renderUserCodeConfirmPage({
            stylesheet,
            action: ctx.oidc.urlFor('code_verification'),
            xsrf: ctx.oidc.session?.state?.secret ?? '',
            userCode,
            clientName: clientNameOf(ctx),
          });
        },
        async successSource(ctx: KoaContextWithOIDC) {
          ctx.type = 'html';
          ctx.body = renderDeviceSuccessPage({ stylesheet, clientName: clientNameOf(ctx) });
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContextWithOIDC) {
          ctx.type = 'html';
          ctx.body = renderLogoutPage({
            stylesheet,
            action: ctx.oidc.urlFor('end_session_confirm'),
            xsrf: ctx.oidc.session?.state?.secret ?? '',
          });
        },
        async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.type = 'html';
          ctx.body = renderMessagePage({
            stylesheet,
            title: 'Signed out',
            message: 'You are signed out of the development provider.',
          });
        },
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    async renderError(ctx: KoaContextWithOIDC, out: Record<string, unknown>) {
      const description = typeof out.error_description === 'string' ? out.error_description : '';
      ctx.type = 'html';
      ctx.body = renderMessagePage({
        stylesheet,
        title: 'Sign-in failed',
        message: `${String(out.error ?? 'error')}${description ? `: ${description}` : ''}`,
      });
    },
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      DeviceCode: 10 * 60,
      IdToken: 60 * 60,
      RefreshToken: 24 * 60 * 60,
      Interaction: 15 * 60,
      Session: 12 * 60 * 60,
      Grant: 24 * 60 * 60,
    },
  });
  provider.use(scriptFreePages(() => stylesheet));
  if (options.onServerError) {
    const report = options.onServerError;
    provider.on('server_error', (_ctx, error) => report(error));
  }

  return {
    issuer,
    mountPath,
    provider,
    clients,
    people,
    signingKeyIds: jwks.keys.map((k) => k.kid),
  };
}
