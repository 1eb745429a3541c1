import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entraConnectionTo,
  type FakeMicrosoftGraph,
  startFakeMicrosoftGraph,
} from '../../../../../../test/fakes/microsoft-graph';
import { databaseTargets, type TestDatabase } from '../../../../../../test/support/databases';
import { ManualClock } from '../../../platform/clock';
import { loggerOptions } from '../../../platform/log/logger';
import { type DirectoryHarness, startDirectoryHarness } from './directory-test-harness';

const PG_DUMP = ['/usr/lib/postgresql/15/bin/pg_dump'].find((p) => fs.existsSync(p)) ?? 'pg_dump';

/** A backup as the owner takes it: through the row-level policy, with the platform-wide scope on. */
function pgDump(ownerUrl: string): string {
  return execFileSync(PG_DUMP, ['--enable-row-security', '--no-owner', `--dbname=${ownerUrl}`], {
    env: { ...process.env, PGOPTIONS: '-c app.system=on' },
    maxBuffer: 256 * 1024 * 1024,
  }).toString('utf8');
}

describe.each(databaseTargets())('directory privacy canary on $name', (target) => {
  let t: TestDatabase;
  let graph: FakeMicrosoftGraph;
  let h: DirectoryHarness;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino(loggerOptions('trace'), sink);
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const tag = randomBytes(6).toString('hex');
  const canary = {
    givenName: `Canarygiven${tag}`,
    surname: `Canarysur${tag}`,
    displayName: `Canarygiven${tag} Canarysur${tag}`,
    userPrincipalName: `canary.${tag}@contoso.example`,
    jobTitle: `Canary title ${tag}`,
  };
  const needles = [canary.givenName, canary.surname, canary.userPrincipalName, canary.jobTitle];

  beforeAll(async () => {
    t = await target.create();
    graph = await startFakeMicrosoftGraph();
    graph.seedUsers(250);
    graph.addUser(canary);
    h = await startDirectoryHarness(t, clock, { caPem: graph.caPem, logger, appLogger: logger });
  });
  afterAll(async () => {
    await h?.close();
    await graph?.close();
    await t?.close();
  });

  it('SEC-5/SEC-6: a synced canary employee is found through the API but is in no database file, dump or log', async () => {
    h.as('administrator');
    const put = await h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: entraConnectionTo(graph),
    });
    expect(put.status).toBe(200);
    expect((await h.call({ method: 'POST', url: '/api/v1/directory/sync' })).status).toBe(200);
    expect(await h.runJobs()).toBe(1);
    // A delta sync after a change, so both write paths ran.
    graph.updateUser(graph.userId(3), { jobTitle: 'Changed title' });
    expect((await h.call({ method: 'POST', url: '/api/v1/directory/sync' })).status).toBe(200);
    expect(await h.runJobs()).toBe(1);

    // The API knows the canary: the searches below could find it if it leaked.
    const found = await h.call({ url: `/api/v1/employees?search=${canary.surname}` });
    expect(found.text).toContain(canary.displayName);
    expect(found.text).toContain(canary.userPrincipalName);
    expect(found.text).toContain(canary.jobTitle);

    // Everything logged: the connection, both syncs, and the picker search (its query string is not logged).
    const log = lines.join('');
    expect(log).toContain('/api/v1/employees');

    expect(log).toContain('directory synced');
    expect(log).toContain('job succeeded');
    for (const needle of needles) expect(log, 'captured logs').not.toContain(needle);

    if (t.name === 'sqlite') {
      const files = [t.file as string, `${t.file}-wal`].filter((f) => fs.existsSync(f));
      expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
      const all = Buffer.concat(files.map((f) => fs.readFileSync(f)));
      // The control: the connection's client id is stored in clear, so the search can find text.
      expect(all.includes(Buffer.from(graph.clientId))).toBe(true);
      for (const needle of needles) expect(all.includes(Buffer.from(needle)), needle).toBe(false);
    } else {
      const dump = pgDump(t.ownerUrl as string);
      expect(dump).toContain(graph.clientId);
      for (const needle of needles) expect(dump, needle).not.toContain(needle);
    }
  });
});
