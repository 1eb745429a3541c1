import { randomUUID } from 'node:crypto';
import type { ServerOptions } from 'node:https';
import { ErrorCode } from '@thestorage/contracts';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config';
import { relayAfterWrites } from './modules/audit-log/relay-hook';
import { registerAuditLogRoutes } from './modules/audit-log/routes';
import { registerJobRoutes } from './modules/jobs/routes';
import { registerTenantRoutes } from './modules/tenants/routes';
import type { AuditRelay } from './platform/audit-store/relay';
import type { AuditStore } from './platform/audit-store/store';
import type { Cache } from './platform/cache/cache';
import type { Clock } from './platform/clock';
import type { DatabaseHandle } from './platform/db/connect';
import { registerActorResolution } from './platform/http/access';
import { type ActorResolver, nobodySignedIn } from './platform/http/actor';
import { type HealthDeps, registerHealthRoutes } from './platform/http/health';
import { createMetrics, registerHttpMetrics } from './platform/http/metrics';
import { registerOpenApi } from './platform/http/openapi';
import { registerErrorHandler, sendProblem } from './platform/http/problem';
import { registerSecurityHeaders } from './platform/http/security-headers';
import { registerWebApp } from './platform/http/web-app';
import { createRepos } from './repos';

export interface AppDeps {
  config: Pick<Config, 'mode' | 'trustProxy' | 'webDistDir'>;
  version: string;
  clock: Clock;
  database: DatabaseHandle;
  auditStore: AuditStore;
  /** Nudged after every write so audit events reach their store promptly (its timer catches the rest). */
  auditRelay?: Pick<AuditRelay, 'notify'>;
  cache: Cache;
  /** TLS material for the listener; omitted when a TLS load balancer terminates (or in inject() tests). */
  https?: ServerOptions;
  tlsStatus: HealthDeps['tlsStatus'];
  tlsNotAfter?: () => Date | null;
  resolveActor?: ActorResolver;
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
  registerActorResolution(app, deps.resolveActor ?? nobodySignedIn);

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
  await app.register(
    async (api) => {
      registerTenantRoutes(api, { repos, clock: deps.clock });
      registerJobRoutes(api, { repos });
      registerAuditLogRoutes(api, { auditStore: deps.auditStore, database: deps.database });
    },
    { prefix: '/api/v1' },
  );

  await registerWebApp(app, deps.config.webDistDir);
  return app;
}
