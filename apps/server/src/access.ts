import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { AccessDeps } from './app';
import type { Config } from './config';
import { DEMO_DIRECTORY_CLIENT_ID } from './demo-directory';
import { DEMO_PEOPLE } from './demo-people';
import { createSignInProviders, type SignInProviderConfig } from './modules/auth/providers';
import { createSqlSignInStateStore } from './modules/auth/sign-in-states';
import { createDevIdentityProvider, type DevIdentityProvider } from './platform/auth/dev-idp';
import { devIdpDirectory, loadOrCreateClientSecrets } from './platform/auth/dev-idp/key-files';
import type { Clock } from './platform/clock';
import type { DatabaseHandle } from './platform/db/connect';
import { createRedisSessionStore, createSqlSessionStore, type SessionStore } from './platform/sessions';

export const DEV_WEB_CLIENT = 'thestorage-web';
export const DEV_CLI_CLIENT = 'thestorage-cli';

export interface Access {
  deps: AccessDeps;
  sessionStore: SessionStore;
  signInStates: ReturnType<typeof createSqlSignInStateStore>;
  /** The development CA, trusted to reach the app's own development provider and demo directory. */
  devCaPem: string | undefined;
  close(): Promise<void>;
}

/**
 * Sign-in for one app node: sessions (SQL, or Redis in production so every node sees a sign-out),
 * started sign-ins in SQL, the configured providers and — in the embedded default — the built-in
 * development identity provider, which the app uses through the same relying-party code as any other.
 */
export function createAccess(deps: {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  logger: FastifyBaseLogger;
  publicOrigin: () => string;
}): Access {
  const { config, database, logger, publicOrigin } = deps;
  const redis =
    config.cache.kind === 'redis'
      ? new Redis(config.cache.url, {
          lazyConnect: true,
          ...(config.cache.url.startsWith('rediss://')
            ? {
                tls: {
                  rejectUnauthorized: true,
                  ...(config.cache.caFile ? { ca: readFileSync(config.cache.caFile, 'utf8') } : {}),
                },
              }
            : {}),
        })
      : undefined;
  redis?.on('error', (err) => logger.warn({ err }, 'session store connection problem'));
  const timeouts = { idleMs: config.access.sessionIdleMs, absoluteMs: config.access.sessionAbsoluteMs };
  const sessionStore = redis
    ? createRedisSessionStore({ redis, timeouts })
    : createSqlSessionStore({ database, timeouts });
  const signInStates = createSqlSignInStateStore(database);

  let devIdp: DevIdentityProvider | undefined;
  const devIdentityProvider = config.access.devIdentityProvider
    ? () => {
        devIdp ??= createDevIdentityProvider({
          issuer: `${publicOrigin()}/dev-idp`,
          dataDir: config.dataDir,
          clients: [
            {
              kind: 'web',
              clientId: DEV_WEB_CLIENT,
              clientName: 'TheStorage',
              redirectUris: [`${publicOrigin()}/auth/callback/dev`],
            },
            { kind: 'cli', clientId: DEV_CLI_CLIENT, clientName: 'TheStorage command-line client' },
          ],
          onServerError: (err) => logger.error({ err }, 'development identity provider error'),
        });
        return devIdp;
      }
    : undefined;
  // The demo directory's client secret, kept with the development provider's other client secrets.
  let demoSecret: string | undefined;
  const demoDirectorySecret = devIdentityProvider
    ? () => {
        demoSecret ??= loadOrCreateClientSecrets(devIdpDirectory(config.dataDir), [
          DEMO_DIRECTORY_CLIENT_ID,
        ]).get(DEMO_DIRECTORY_CLIENT_ID);
        return demoSecret!;
      }
    : undefined;
  // The app calls its own development provider over HTTPS: trust the local development CA for it.
  const devCaFile = path.join(config.dataDir, 'tls', 'ca.pem');
  const devCaPem =
    config.tls.source === 'dev-ca' && existsSync(devCaFile) ? readFileSync(devCaFile, 'utf8') : undefined;

  const oidcCaPem = config.access.oidc?.caFile ? readFileSync(config.access.oidc.caFile, 'utf8') : undefined;
  const providerConfigs = (): SignInProviderConfig[] => [
    ...(devIdentityProvider
      ? [
          {
            id: 'dev',
            label: 'Development sign-in',
            settings: { kind: 'dev' as const, issuerUrl: `${publicOrigin()}/dev-idp` },
            clientId: DEV_WEB_CLIENT,
            clientSecret: () => devIdentityProvider().clients.get(DEV_WEB_CLIENT)?.clientSecret ?? undefined,
            caPem: devCaPem,
          },
        ]
      : []),
    ...(config.access.oidc
      ? [
          {
            id: 'oidc',
            label: config.access.oidc.label,
            settings: { kind: 'oidc' as const, issuerUrl: config.access.oidc.issuer },
            clientId: config.access.oidc.clientId,
            clientSecret: () => config.access.oidc?.clientSecret,
            caPem: oidcCaPem,
          },
        ]
      : []),
    // The service's own app registrations: anyone may sign in; organizations then accept by directory.
    ...presetProviders(config),
  ];

  return {
    sessionStore,
    signInStates,
    deps: {
      sessionStore,
      providers: createSignInProviders({ providers: providerConfigs, publicOrigin, states: signInStates }),
      rules: {
        platformAdmins: () => [
          ...config.access.platformAdmins,
          // The demo platform administrator of the development provider (embedded default only).
          ...(devIdentityProvider
            ? DEMO_PEOPLE.filter((p) => p.demoRole === 'platform-admin').map(
                (p) => `${publicOrigin()}/dev-idp|${p.sub}`,
              )
            : []),
        ],
      },
      publicOrigin,
      allowedOrigins: config.publicUrl ? [new URL(config.publicUrl).origin] : [],
      redis,
      rateLimits: {
        signInPerMinute: config.access.signInPerMinute,
        apiPerMinute: config.access.apiPerMinute,
      },
      devIdentityProvider,
      demoDirectorySecret,
    },
    devCaPem,
    async close() {
      redis?.disconnect();
    },
  };
}

/** Microsoft Entra ID, personal Microsoft accounts and Google Workspace, when their client ids are set. */
function presetProviders(config: Config): SignInProviderConfig[] {
  const { entra, microsoftAccount, google } = config.access;
  const presets = [
    {
      id: 'entra',
      label: 'Microsoft Entra ID (work or school)',
      settings: { kind: 'entra' as const, allowedEntraTenantIds: 'any-organization' as const },
      registration: entra,
    },
    {
      id: 'microsoft-account',
      label: 'Microsoft account (personal)',
      settings: { kind: 'microsoft-account' as const },
      registration: microsoftAccount,
    },
    {
      id: 'google',
      label: 'Google Workspace',
      settings: { kind: 'google' as const, allowedDomains: 'any-workspace' as const },
      registration: google,
    },
  ];
  return presets.flatMap(({ registration, ...preset }) =>
    registration
      ? [{ ...preset, clientId: registration.clientId, clientSecret: () => registration.clientSecret }]
      : [],
  );
}
