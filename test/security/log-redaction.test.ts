import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions, scrubSecrets } from '../../apps/server/src/platform/log/logger';
import { buildTestApp } from '../support/app';
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
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await databaseTargets()[0]!.create();
    ({ app } = await buildTestApp(t.handle, { logger: pino(loggerOptions('trace'), sink) }));
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
