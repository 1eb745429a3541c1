import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from '../../apps/server/src/app';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { ManualClock } from '../../apps/server/src/platform/clock';
import type { DatabaseHandle } from '../../apps/server/src/platform/db/connect';
import type { Actor } from '../../apps/server/src/platform/http/actor';

/**
 * The HTTP app for inject() tests: embedded mode, a memory cache, no web build, and an actor the
 * test chooses per request through `setActor` (the session-backed resolver arrives with sign-in).
 */
export async function buildTestApp(
  database: DatabaseHandle,
  overrides: Partial<AppDeps> = {},
): Promise<{ app: FastifyInstance; setActor(actor: Actor | null): void; clock: ManualClock }> {
  const clock = overrides.clock instanceof ManualClock ? overrides.clock : new ManualClock();
  let actor: Actor | null = null;
  const app = await buildApp({
    config: { mode: 'embedded', trustProxy: false, webDistDir: '/nonexistent-web-dist' },
    version: '0.0.0-test',
    clock,
    database,
    cache: createMemoryCache({ clock }),
    tlsStatus: () => ({ source: 'dev-ca', notAfter: null, daysLeft: null, expiresSoon: false }),
    resolveActor: async () => actor,
    ...overrides,
  });
  return {
    app,
    clock,
    setActor(next) {
      actor = next;
    },
  };
}
