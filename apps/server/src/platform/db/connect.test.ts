import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { openPostgres, openSqlite, openSqliteBulkReader, PREPARED_STATEMENT_LIMIT } from './connect';
import { isUniqueViolation } from './errors';
import { isUuid, newId } from './ids';

describe('openPostgres with requireTls (production)', () => {
  const refused = [
    'postgres://u@127.0.0.1/db',
    'postgres://u@db.example.com:5432/db?sslmode=disable',
    'postgres://u@db.example.com/db?sslmode=require',
    'postgres://u@db.example.com/db?sslmode=no-verify',
    'postgres://u@db.example.com/db?ssl=true',
    'postgres://u@/db',
  ];
  it.each(refused)('SEC-8: refuses %s (no verified TLS) with a clear message', (url) => {
    expect(() => openPostgres({ url, requireTls: true })).toThrow(
      /without verified TLS.*sslmode=verify-full/,
    );
  });

  it('SEC-8: the refusal never echoes the password of the URL', () => {
    let message = '';
    try {
      openPostgres({ url: 'postgres://u:s3cret-pass@127.0.0.1/db', requireTls: true });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/127\.0\.0\.1/);
    expect(message).not.toContain('s3cret-pass');
  });

  it.each([
    'postgres://u@db.example.com/db?sslmode=verify-full',
    'postgres://u@/db?host=/var/run/postgresql',
    'postgres://u@%2Fvar%2Frun%2Fpostgresql/db',
  ])('SEC-8: accepts %s (verified TLS or a unix socket)', async (url) => {
    const handle = openPostgres({ url, requireTls: true });
    expect(handle.dialect).toBe('postgres');
    await handle.destroy();
  });

  it('SEC-8: accepts a TCP URL when a CA is given, even if the URL says sslmode=disable', async () => {
    const handle = openPostgres({
      url: 'postgres://u@127.0.0.1/db?sslmode=disable',
      ssl: { ca: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' },
      requireTls: true,
    });
    await handle.destroy();
  });

  it('refuses a URL that does not parse, without echoing it', () => {
    expect(() => openPostgres({ url: 'not a url :pw', requireTls: true })).toThrow(/not a valid postgres/);
  });
});

describe('openSqlite', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-connect-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the parent folder and turns on WAL, foreign keys, a busy timeout and a cache sized for 100,000 devices (SPEC 9)', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'db.sqlite');
    const handle = openSqlite(file);
    await handle.ping();
    const pragma = async (name: string) =>
      (await sql.raw(`pragma ${name}`).execute(handle.db)).rows[0] as Record<string, unknown>;
    expect(Object.values(await pragma('journal_mode'))[0]).toBe('wal');
    expect(Object.values(await pragma('foreign_keys'))[0]).toBe(1);
    expect(Object.values(await pragma('busy_timeout'))[0]).toBe(5000);
    expect(Object.values(await pragma('cache_size'))[0]).toBe(-131072);
    expect(Object.values(await pragma('mmap_size'))[0]).toBe(1073741824);
    expect(fs.existsSync(file)).toBe(true);
    await handle.destroy();
  });

  it("SPEC 9, DEV-13: the bulk reader is a second connection that maps no file pages, keeps a small cache, only reads and sees the main connection's commits", async () => {
    const file = path.join(dir, 'bulk.sqlite');
    const main = openSqlite(file);
    const reader = openSqliteBulkReader(file, main);
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(reader.db)).rows[0] as object)[0];
    expect(await pragma('mmap_size')).toBe(0);
    expect(await pragma('cache_size')).toBe(-8192);
    expect(await pragma('query_only')).toBe(1);
    await sql`create table t (x integer)`.execute(main.db);
    await sql`insert into t values (7)`.execute(main.db);
    expect((await sql<{ x: number }>`select x from t`.execute(reader.db)).rows).toEqual([{ x: 7 }]);
    await expect(sql`insert into t values (8)`.execute(reader.db)).rejects.toThrow(/readonly/i);
    await reader.destroy();
    await main.ping();
    await main.destroy();
  });

  it('SPEC 9: an in-memory database has no second connection: the bulk reader is its handle, and closing it leaves the database open', async () => {
    const main = openSqlite(':memory:');
    const reader = openSqliteBulkReader(':memory:', main);
    expect(reader.db).toBe(main.db);
    await reader.destroy();
    await main.ping();
    await main.destroy();
  });

  it('opens an in-memory database', async () => {
    const handle = openSqlite(':memory:');
    await handle.ping();
    await handle.destroy();
  });

  it('SPEC 9: rows read through cached statements are the objects better-sqlite3 makes, streamed or not, also after a schema change', async () => {
    const handle = openSqlite(':memory:');
    const bare = new Database(':memory:');
    const setUp = `create table t (id integer primary key, name text, data blob, amount real);
      insert into t values (1, 'one', x'00ff', 1.5), (2, null, null, null)`;
    await sql.raw(setUp.split(';')[0]!).execute(handle.db);
    await sql.raw(setUp.split(';')[1]!).execute(handle.db);
    bare.exec(setUp);
    // A repeated column name keeps its first place and its last value.
    const text = 'select t.*, name as label, amount as name from t order by id';
    const read = async () => (await sql.raw(text).execute(handle.db)).rows;
    expect(await read()).toEqual(bare.prepare(text).all());
    expect(Object.keys((await read())[0] as object)).toEqual(Object.keys(bare.prepare(text).get() as object));
    const streamed: unknown[] = [];
    const tables = handle.db as unknown as Kysely<{ t: { id: number; name: string | null } }>;
    for await (const row of tables.selectFrom('t').selectAll().orderBy('id').stream()) streamed.push(row);
    expect(streamed).toEqual(bare.prepare('select * from t order by id').all());
    // The same text after a migration adds a column: the new column is there.
    await sql.raw('alter table t add column note text').execute(handle.db);
    bare.exec('alter table t add column note text');
    expect(await read()).toEqual(bare.prepare(text).all());
    expect(Object.keys((await read())[0] as object)).toContain('note');
    const inserted = await sql
      .raw<{ id: number }>(`insert into t (name) values ('three') returning id, name`)
      .execute(handle.db);
    expect(inserted.rows).toEqual([{ id: 3, name: 'three' }]);
    // Column names that would break generated code if written into it as they are.
    const odd = `select 2 as "a""b", 3 as "x\u2028y", 4 as "\\" from t where id = 1`;
    expect((await sql.raw(odd).execute(handle.db)).rows).toEqual(bare.prepare(odd).all());
    bare.close();
    await handle.destroy();
  });
});

describe('ids and errors', () => {
  it('makes time-ordered UUIDv7 ids', () => {
    const a = newId();
    const b = newId();
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('7');
    expect(a < b).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });

  it('recognises unique violations of both databases and nothing else', () => {
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(true);
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })).toBe(false);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(new Error('x'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});

describe.each(databaseTargets())('$name connection', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(() => t?.close());

  it('pings and returns count(*) as a number', async () => {
    await t.handle.ping();
    const row = await t.handle.db
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(row.n).toBe(0);
  });
});

describe.each(databaseTargets().filter((x) => x.name === 'postgres'))('$name TLS', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(() => t?.close());

  it('SEC-8: with a CA the client insists on verified TLS and never falls back to plaintext', async () => {
    const handle = openPostgres({
      url: `${t.url}?sslmode=disable`,
      ssl: { ca: fs.readFileSync(new URL('./connect.ts', import.meta.url), 'utf8') },
      requireTls: true,
    });
    await expect(handle.ping()).rejects.toThrow(/SSL|TLS|certificate|PEM|verify/i);
    await handle.destroy();
  });
});

describe.each(databaseTargets().filter((x) => x.name === 'postgres'))(
  '$name prepared statements',
  (target) => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await target.create();
    });
    afterAll(() => t?.close());

    // One connection, so that pg_prepared_statements and the temporary table are the queries' own.
    const prepared = async (handle: ReturnType<typeof openPostgres>) =>
      (
        await sql
          .raw<{ statement: string }>('select statement from pg_prepared_statements')
          .execute(handle.db)
      ).rows.map((r) => r.statement);

    it('SPEC 9: statements with parameters are prepared once per connection; text searches and parameterless ones are not', async () => {
      const handle = openPostgres({ url: t.url!, requireTls: false, max: 1 });
      try {
        for (let i = 0; i < 3; i++) {
          expect((await sql<{ n: number }>`select ${i}::int as n`.execute(handle.db)).rows).toEqual([
            { n: i },
          ]);
        }
        expect(
          (await sql<{ m: boolean }>`select ${'abc'} like ${'%b%'} as m`.execute(handle.db)).rows,
        ).toEqual([{ m: true }]);
        expect(await prepared(handle)).toEqual(['select $1::int as n']);
      } finally {
        await handle.destroy();
      }
      const unprepared = openPostgres({ url: t.url!, requireTls: false, max: 1, preparedStatements: false });
      try {
        await sql`select ${1}::int as n`.execute(unprepared.db);
        expect(await prepared(unprepared)).toEqual([]);
      } finally {
        await unprepared.destroy();
      }
    });

    it('SPEC 9: at most PREPARED_STATEMENT_LIMIT texts are prepared; the rest still run', async () => {
      const handle = openPostgres({ url: t.url!, requireTls: false, max: 1 });
      try {
        for (let i = 0; i < PREPARED_STATEMENT_LIMIT + 20; i++) {
          const { rows } = await sql<Record<string, number>>`select ${i}::int as ${sql.id(`n${i}`)}`.execute(
            handle.db,
          );
          expect(rows).toEqual([{ [`n${i}`]: i }]);
        }
        expect(await prepared(handle)).toHaveLength(PREPARED_STATEMENT_LIMIT);
      } finally {
        await handle.destroy();
      }
    });

    it('SPEC 9: after a statement’s result changes shape under it (a migration elsewhere) it fails once, then is prepared again', async () => {
      const handle = openPostgres({ url: t.url!, requireTls: false, max: 1 });
      try {
        await sql.raw('create temporary table prepared_shape (id int)').execute(handle.db);
        await sql.raw('insert into prepared_shape values (1)').execute(handle.db);
        const read = () => sql`select * from prepared_shape where id = ${1}`.execute(handle.db);
        expect((await read()).rows).toEqual([{ id: 1 }]);
        await sql.raw('alter table prepared_shape add column note text').execute(handle.db);
        await expect(read()).rejects.toMatchObject({ code: '0A000' });
        expect((await read()).rows).toEqual([{ id: 1, note: null }]);
        expect((await read()).rows).toEqual([{ id: 1, note: null }]);
      } finally {
        await handle.destroy();
      }
    });
  },
);
