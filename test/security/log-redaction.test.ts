import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/server/src/app';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { ManualClock } from '../../apps/server/src/platform/clock';
import { loggerOptions, scrubSecrets } from '../../apps/server/src/platform/log/logger';
import { databaseTargets, type TestDatabase } from '../support/databases';

const CANARY = 'canary-7f3a9c1e-secret';

describe('log redaction', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    t = await databaseTargets()[0]!.create();
    const clock = new ManualClock();
    const logger = pino(loggerOptions('trace'), sink);
    app = await buildApp({
      config: { mode: 'embedded', trustProxy: false, webDistDir: '/nonexistent-web-dist' },
      version: '1.0.0',
      clock,
      database: t.handle,
      cache: createMemoryCache({ clock }),
      tlsStatus: () => ({ source: 'dev-ca', notAfter: null, daysLeft: null, expiresSoon: false }),
      logger,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('SEC-10: authorization headers, cookies, tokens and secrets never reach a log line', async () => {
    await app.inject({
      url: '/api/v1/tenant',
      headers: {
        authorization: `Bearer ${CANARY}`,
        cookie: `__Host-thestorage=${CANARY}`,
        'x-api-key': CANARY,
      },
    });
    app.log.info(
      { clientSecret: CANARY, nested: { token: CANARY, password: CANARY } },
      'connector configured',
    );
    app.log.error(
      { err: new Error(`connect failed for postgres://app:${CANARY}@db:5432/x`) },
      'database down',
    );
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(2);
    expect(all).toContain('connector configured');
    expect(all).toContain('postgres://app:***@db:5432/x');
    expect(all).not.toContain(CANARY);
  });

  it('SEC-10: credentials inside connection strings are scrubbed from free text', () => {
    expect(scrubSecrets(`redis://default:${CANARY}@cache:6379 and amqp://u:p@mq`)).toBe(
      'redis://default:***@cache:6379 and amqp://u:***@mq',
    );
  });
});
