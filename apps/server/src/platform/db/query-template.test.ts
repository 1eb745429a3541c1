import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { queryTemplate, shapedQueryTemplate } from './query-template';

describe.each(databaseTargets())('query templates on $name', (target) => {
  let t: TestDatabase;
  const at = '2026-01-01T00:00:00.000Z';
  const session = (id: string, user: string) => ({
    id_hash: id,
    user_id: user,
    active_tenant_id: null,
    data: '{}',
    created_at: at,
    last_seen_at: at,
    idle_expires_at: at,
    absolute_expires_at: at,
  });

  beforeAll(async () => {
    t = await target.create();
    await t.handle.db
      .insertInto('sessions')
      .values([session('h1', 'ada'), session('h2', 'ada'), session('h3', 'grace')])
      .execute();
  });
  afterAll(() => t?.close());

  it('ARCH-DB: a template answers as the query it was built from, with new values on every run, compiled once per dialect', async () => {
    let builds = 0;
    const byUser = queryTemplate((db, v: { user: string; not: string }) => {
      builds++;
      return (
        db
          .selectFrom('sessions')
          .select(['id_hash', 'user_id'])
          .where('user_id', '=', v.user)
          .where('id_hash', '!=', v.not)
          // A constant of the query stays where it is.
          .where('data', '=', '{}')
          .orderBy('id_hash')
      );
    });
    const { db, dialect } = t.handle;
    expect(await byUser.execute(db, dialect, { user: 'ada', not: 'h2' })).toEqual([
      { id_hash: 'h1', user_id: 'ada' },
    ]);
    expect(await byUser.execute(db, dialect, { user: 'ada', not: 'none' })).toEqual(
      await db
        .selectFrom('sessions')
        .select(['id_hash', 'user_id'])
        .where('user_id', '=', 'ada')
        .orderBy('id_hash')
        .execute(),
    );
    expect(await byUser.execute(db, dialect, { user: 'grace', not: 'h1' })).toEqual([
      { id_hash: 'h3', user_id: 'grace' },
    ]);
    // Inside a transaction too.
    expect(
      await db.transaction().execute((trx) => byUser.execute(trx, dialect, { user: 'nobody', not: '' })),
    ).toEqual([]);
    expect(builds).toBe(1);
    // A value is a parameter, never SQL text.
    expect(await byUser.execute(db, dialect, { user: "ada' or 1=1 --", not: '' })).toEqual([]);
  });

  it('ARCH-DB: a template refuses a value changed on its way in, or one that is not a parameter', async () => {
    const { db, dialect } = t.handle;
    const changed = queryTemplate((q, v: { user: string }) =>
      q.selectFrom('sessions').select('id_hash').where('user_id', '=', v.user.toLowerCase()),
    );
    await expect(changed.execute(db, dialect, { user: 'ada' })).rejects.toThrow(TypeError);
    const concatenated = queryTemplate((q, v: { user: string }) =>
      q.selectFrom('sessions').select('id_hash').where('user_id', 'like', `%${v.user}%`),
    );
    await expect(concatenated.execute(db, dialect, { user: 'ada' })).rejects.toThrow(/changed on its way/);
    const unused = queryTemplate((q, v: { user: string }) => {
      void v.user;
      return q.selectFrom('sessions').select('id_hash');
    });
    await expect(unused.execute(db, dialect, { user: 'ada' })).rejects.toThrow(/not a parameter/);
    const converted = queryTemplate((q, v: { limit: number }) =>
      q.selectFrom('sessions').select('id_hash').limit(Number(v.limit)),
    );
    await expect(converted.execute(db, dialect, { limit: 1 })).rejects.toThrow(/not a parameter/);
    const inlined = queryTemplate((q, v: { user: string }) =>
      q.selectFrom('sessions').select('id_hash').where('user_id', '=', sql.lit(v.user)),
    );
    await expect(inlined.execute(db, dialect, { user: 'ada' })).rejects.toThrow();
  });
  it("ARCH-DB: a shaped template compiles once per shape, keeps each shape's constants, and takes sql templates", async () => {
    const builds: string[] = [];
    const sessions = shapedQueryTemplate(
      (db, shape: { users: string[]; newest: boolean }, v: { not: string }) => {
        builds.push(JSON.stringify(shape));
        return db
          .selectFrom('sessions')
          .select('id_hash')
          .where('user_id', 'in', shape.users)
          .where('id_hash', '!=', v.not)
          .orderBy('id_hash', shape.newest ? 'desc' : 'asc');
      },
    );
    const { db, dialect } = t.handle;
    const ids = (rows: { id_hash: string }[]) => rows.map((row) => row.id_hash);
    const both = { users: ['ada', 'grace'], newest: false };
    expect(ids(await sessions.execute(db, dialect, both, { not: 'h2' }))).toEqual(['h1', 'h3']);
    expect(ids(await sessions.execute(db, dialect, { users: ['ada'], newest: true }, { not: '' }))).toEqual([
      'h2',
      'h1',
    ]);
    expect(ids(await sessions.execute(db, dialect, both, { not: 'h1' }))).toEqual(['h2', 'h3']);
    expect(
      ids(await sessions.execute(db, dialect, { users: ['grace'], newest: false }, { not: '' })),
    ).toEqual(['h3']);
    expect(builds).toEqual([
      JSON.stringify(both),
      JSON.stringify({ users: ['ada'], newest: true }),
      JSON.stringify({ users: ['grace'], newest: false }),
    ]);
    const counted = queryTemplate(
      (_db, v: { user: string }) =>
        sql<{ n: number }>`select count(*) as n from sessions where user_id = ${v.user}`,
    );
    expect(Number((await counted.execute(db, dialect, { user: 'ada' }))[0]!.n)).toBe(2);
    expect(Number((await counted.execute(db, dialect, { user: 'grace' }))[0]!.n)).toBe(1);
  });
});
