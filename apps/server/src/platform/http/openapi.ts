import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI 3.1 built from the routes' zod schemas, served at /api/openapi.json with a docs page. */
export async function registerOpenApi(app: FastifyInstance, version: string) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'TheStorage API',
        version,
        description:
          'Multi-tenant IT inventory. Errors are application/problem+json with a stable `error.code`; lists page with a cursor.',
      },
      tags: [
        { name: 'operations', description: 'Health, readiness and metrics' },
        { name: 'tenants', description: 'The current tenant and its plan' },
        { name: 'jobs', description: 'Background work and its progress' },
      ],
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: '__Host-thestorage' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null, deepLinking: true },
    // Keep helmet's strict CSP for the docs page too (its scripts are same-origin files).
    staticCSP: false,
  });
}
