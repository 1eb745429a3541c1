import { randomUUID } from 'node:crypto';
import type { ServerOptions } from 'node:https';
import { ErrorCode } from '@thestorage/contracts';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import { DEMO_GRAPH_PATH, demoDirectoryUsers } from './demo-directory';
import { relayAfterWrites } from './modules/audit-log/relay-hook';
import { registerAuditLogRoutes } from './modules/audit-log/routes';
import { createAccessResolver } from './modules/auth/actor-resolver';
import { recordAuthEvent } from './modules/auth/auth-log';
import { registerOrganizationSignInRoutes } from './modules/auth/organization-routes';
import type { SignInProviders } from './modules/auth/providers';
import { registerAuthRoutes } from './modules/auth/routes';
import type { SignInRules } from './modules/auth/sign-in-service';
import { registerCatalogRoutes } from './modules/catalog/routes';
import { registerDashboardRoutes } from './modules/dashboard/routes';
import { registerDeviceImportRoutes } from './modules/devices/import/routes';
import { registerDeviceRoutes } from './modules/devices/routes';
import type { DirectoryCache } from './modules/directory/cache/directory-cache';
import { registerDirectoryRoutes } from './modules/directory/routes';
import type { DirectoryAddressPolicy } from './modules/directory/sync/connector-factory';
import { registerJobRoutes } from './modules/jobs/routes';
import { registerMemberRoutes } from './modules/members/routes';
import { registerExchangeRateRoutes } from './modules/money/routes';
import { registerMoneySettingsRoutes } from './modules/money/settings-routes';
import { createEcbRateCache } from './modules/money/tenant-conversion';
import { registerPlatformConsoleRoutes } from './modules/platform-console/routes';
import { registerScimRoutes } from './modules/scim/routes';
import { createScimStore } from './modules/scim/scim-store';
import { registerScimTokenRoutes } from './modules/scim/token-routes';
import { registerTenantRoutes } from './modules/tenants/routes';
import type { AuditRelay } from './platform/audit-store/relay';
import type { AuditStore } from './platform/audit-store/store';
import { type DevIdentityProvider, registerDevIdentityProvider } from './platform/auth/dev-idp';
import { registerDemoGraph } from './platform/auth/dev-idp/demo-graph';
import type { Cache } from './platform/cache/cache';
import type { Clock } from './platform/clock';
import type { Keyring } from './platform/crypto/keyring';
import type { LinkKeys } from './platform/crypto/link-keys';
import type { DatabaseHandle } from './platform/db/connect';
import { registerActorResolution } from './platform/http/access';
import { type ActorResolver, nobodySignedIn } from './platform/http/actor';
import { registerCsrfProtection } from './platform/http/csrf';
import { type HealthDeps, registerHealthRoutes } from './platform/http/health';
import { createMetrics, registerHttpMetrics } from './platform/http/metrics';
import { registerOpenApi } from './platform/http/openapi';
import { registerErrorHandler, sendProblem } from './platform/http/problem';
import { registerRateLimits } from './platform/http/rate-limits';
import { registerSecurityHeaders } from './platform/http/security-headers';
import { registerWebApp } from './platform/http/web-app';
import { registerSessions, type SessionStore } from './platform/sessions';
import { createRepos } from './repos';

/** Sign-in and sessions (issue 4); inject() tests that only need an actor leave it out and pass resolveActor. */
export interface AccessDeps {
  sessionStore: SessionStore;
  providers: SignInProviders;
  rules: SignInRules;
  /** The https origin people reach the app at (links, redirect URIs). */
  publicOrigin: () => string;
  /** Origins allowed on state-changing requests; empty = the origin the request was addressed to. */
  allowedOrigins: string[];
  /** Shared counters for rate limits across nodes (production). */
  redis?: Redis;
  rateLimits: { signInPerMinute: number; apiPerMinute: number };
  devIdentityProvider?: () => DevIdentityProvider;
  /** With the development provider: the demo directory's client secret (it then serves the demo Graph). */
  demoDirectorySecret?: () => string;
}

export interface AppDeps {
  config: Pick<Config, 'mode' | 'trustProxy' | 'webDistDir'>;
  version: string;
  clock: Clock;
  database: DatabaseHandle;
  /** Where whole-tenant reads go (device exports; see `Stores.bulkReader`); the database when omitted. */
  bulkReader?: DatabaseHandle;
  auditStore: AuditStore;
  /** Nudged after every write so audit events reach their store promptly (its timer catches the rest). */
  auditRelay?: Pick<AuditRelay, 'notify'>;
  cache: Cache;
  /** TLS material for the listener; omitted when a TLS load balancer terminates (or in inject() tests). */
  https?: ServerOptions;
  tlsStatus: HealthDeps['tlsStatus'];
  tlsNotAfter?: () => Date | null;
  resolveActor?: ActorResolver;
  access?: AccessDeps;
  /** The employee directory (issue 5): sealed connection credentials and the 14-day cache. */
  directory?: {
    keyring: Keyring;
    directoryCache: DirectoryCache;
    linkKeys: LinkKeys;
    /** Which addresses directory connections may reach (default: public only). */
    addresses?: DirectoryAddressPolicy;
  };
  /** A pino logger (see platform/log); none in tests unless they want one. */
  logger?: FastifyBaseLogger;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the whole HTTP application from its dependencies; tests call it and use inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    ...(deps.https ? { https: deps.https } : {}),
    trustProxy: deps.config.trustProxy,
    // A load balancer's request id is kept (when valid) so one id follows a request across hops.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return deps.config.trustProxy && typeof incoming === 'string' && REQUEST_ID.test(incoming)
        ? incoming
        : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (deps.config.trustProxy) {
    // Behind a TLS-terminating load balancer: only requests that reached it over HTTPS are served.
    app.addHook('onRequest', async (request, reply) => {
      if (request.protocol !== 'https') {
        return sendProblem(request, reply, 403, ErrorCode.HttpsRequired, 'HTTPS is required');
      }
    });
  }

  await registerSecurityHeaders(app);
  const metrics = createMetrics(deps.tlsNotAfter ?? (() => null));
  registerHttpMetrics(app, metrics);
  await registerOpenApi(app, deps.version);
  const access = deps.access;
  if (access) {
    await registerSessions(app, {
      store: access.sessionStore,
      clock: deps.clock,
      onSessionExpired: (request, expiry) =>
        recordAuthEvent(deps.database, deps.clock, {
          outcome: 'session_expired',
          reason: expiry.reason,
          subject: expiry.userId,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
    });
    registerCsrfProtection(app, {
      allowedOrigins: access.allowedOrigins,
      allowRequestOrigin: access.allowedOrigins.length === 0,
      // The development provider has its own one-time form tokens; the sign-in callback is a GET.
      exemptPrefixes: ['/dev-idp/', '/dev-idp?'],
    });
    await registerRateLimits(app, {
      redis: access.redis,
      signIn: { max: access.rateLimits.signInPerMinute, timeWindowMs: 60_000 },
      api: { max: access.rateLimits.apiPerMinute, timeWindowMs: 60_000 },
    });
    if (access.devIdentityProvider) {
      await registerDevIdentityProvider(app, {
        prefix: '/dev-idp',
        provider: access.devIdentityProvider,
        trustProxy: deps.config.trustProxy,
      });
      if (access.demoDirectorySecret) {
        await registerDemoGraph(app, {
          prefix: DEMO_GRAPH_PATH,
          clientSecret: access.demoDirectorySecret,
          users: demoDirectoryUsers,
        });
      }
    }
  }
  registerActorResolution(
    app,
    deps.resolveActor ?? (access ? createAccessResolver(deps.database) : nobodySignedIn),
  );

  const startedAt = deps.clock.now();
  registerHealthRoutes(app, {
    version: deps.version,
    mode: deps.config.mode,
    startedAt,
    now: () => deps.clock.now(),
    tlsStatus: deps.tlsStatus,
    pingDatabase: () => deps.database.ping(),
    pingCache: () => deps.cache.ping(),
  });

  if (deps.auditRelay) relayAfterWrites(app, deps.auditRelay);
  const repos = createRepos(deps.database);
  // The ECB's daily rates, kept for a minute by this app: device lists convert prices without reading them each time.
  const ecbRates = createEcbRateCache(deps.clock);
  if (access) {
    registerAuthRoutes(app, {
      database: deps.database,
      repos,
      clock: deps.clock,
      providers: access.providers,
      rules: access.rules,
    });
    registerPlatformConsoleRoutes(app, { database: deps.database, clock: deps.clock });
  }
  const publicOrigin = access?.publicOrigin ?? (() => 'https://localhost');
  if (deps.directory) {
    // One store per app: it serialises each organization's SCIM writes and throttles keep-alives.
    const store = createScimStore({
      cache: deps.cache,
      directoryCache: deps.directory.directoryCache,
      clock: deps.clock,
    });
    registerScimRoutes(app, {
      repos,
      clock: deps.clock,
      linkKeys: deps.directory.linkKeys,
      store,
      publicOrigin,
    });
  }
  await app.register(
    async (api) => {
      registerTenantRoutes(api, { repos, clock: deps.clock });
      registerJobRoutes(api, { repos });
      registerAuditLogRoutes(api, { auditStore: deps.auditStore, database: deps.database });
      registerMemberRoutes(api, { repos, clock: deps.clock, publicOrigin });
      registerOrganizationSignInRoutes(api, { repos, clock: deps.clock });
      registerCatalogRoutes(api, { repos, clock: deps.clock });
      registerDashboardRoutes(api, { repos, clock: deps.clock, ecbRates });
      registerExchangeRateRoutes(api, { database: deps.database });
      registerMoneySettingsRoutes(api, { repos, clock: deps.clock, ecbRates });
      if (deps.directory) {
        const { keyring, directoryCache, linkKeys, addresses } = deps.directory;
        registerDirectoryRoutes(api, {
          repos,
          clock: deps.clock,
          keyring,
          directoryCache,
          linkKeys,
          addresses,
        });
        registerScimTokenRoutes(api, { repos, clock: deps.clock, publicOrigin });
        // Devices name employees through the directory cache (SEC-5), so they come with the directory.
        registerDeviceRoutes(api, {
          repos,
          clock: deps.clock,
          directoryCache,
          auditStore: deps.auditStore,
          ecbRates,
          keyring,
          exportRepos:
            deps.bulkReader && deps.bulkReader !== deps.database ? createRepos(deps.bulkReader) : repos,
        });
        registerDeviceImportRoutes(api, { repos, clock: deps.clock, directoryCache, keyring });
      }
    },
    { prefix: '/api/v1' },
  );

  await registerWebApp(app, deps.config.webDistDir);
  return app;
}
