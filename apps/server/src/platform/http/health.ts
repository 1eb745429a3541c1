import { healthSchema, readinessSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';

type TlsStatus = z.infer<typeof healthSchema>['tls'];

export interface HealthDeps {
  version: string;
  mode: 'embedded' | 'production';
  startedAt: Date;
  now: () => Date;
  tlsStatus: () => TlsStatus;
  pingDatabase: () => Promise<void>;
  pingCache: () => Promise<void>;
}

async function timed(check: () => Promise<void>, timeoutMs: number) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // Only the error class and a short reason: driver messages may carry hosts or user names.
    const reason = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 120) : 'unreachable';
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: reason };
  } finally {
    clearTimeout(timer);
  }
}

/** `/health` answers while the process lives; `/ready` only when the database and cache answer too. */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and TLS certificate status',
        response: { 200: healthSchema },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: deps.version,
      mode: deps.mode,
      uptimeSeconds: Math.round((deps.now().getTime() - deps.startedAt.getTime()) / 1000),
      tls: deps.tlsStatus(),
    }),
  );
  typed.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: database and cache reachable',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const [database, cache] = await Promise.all([
        timed(deps.pingDatabase, 2000),
        timed(deps.pingCache, 2000),
      ]);
      const ready = database.ok && cache.ok;
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, cache } });
    },
  );
}
