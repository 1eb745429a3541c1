import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { DeferredBeginPostgresDialect } from './deferred-begin';
import type { DB } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<DB>;
  dialect: Dialect;
  ping(): Promise<void>;
  destroy(): Promise<void>;
}

const handleOf = (db: Kysely<DB>, dialect: Dialect): DatabaseHandle => ({
  db,
  dialect,
  ping: async () => {
    await sql`select 1`.execute(db);
  },
  destroy: () => db.destroy(),
});

/**
 * Page cache and memory map sized for a 100,000-device tenant (SPEC 9): SQLite's default 2 MB cache
 * holds a fraction of the device indexes, so a large import spills pages to the WAL mid-transaction and
 * list queries re-read pages through system calls. Memory is taken only as pages are used.
 */
export const SQLITE_SPEED_SETTINGS = [
  'cache_size = -131072',
  'mmap_size = 1073741824',
  'temp_store = MEMORY',
];

/** The embedded database: one SQLite file (or ':memory:'), WAL so readers never wait for the writer. */
export function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  for (const setting of SQLITE_SPEED_SETTINGS) database.pragma(setting);
  return sqliteHandle(database);
}

/** A handle over an open SQLite connection, its statements cached (see withStatementCache). */
const sqliteHandle = (database: Database.Database): DatabaseHandle =>
  handleOf(
    new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
    'sqlite',
  );

/**
 * A second connection to the embedded database for reads that walk a whole tenant once (DEV-13 exports):
 * no memory map and a small page cache, so reading 100,000 devices goes through the kernel's page cache
 * and does not grow the server's own memory with the file (the main connection maps up to 1 GB of it, and
 * every mapped page counts in the process's memory). It reads only (`query_only`), in WAL snapshots of its
 * own, beside the main connection. An in-memory database has no second connection: its handle is reused.
 */
export const SQLITE_BULK_READER_SETTINGS = ['query_only = ON', 'mmap_size = 0', 'cache_size = -8192'];

export function openSqliteBulkReader(file: string, main: DatabaseHandle): DatabaseHandle {
  if (file === ':memory:') return { ...main, destroy: async () => {} };
  const database = new Database(file);
  database.pragma('busy_timeout = 5000');
  for (const setting of SQLITE_BULK_READER_SETTINGS) database.pragma(setting);
  return sqliteHandle(database);
}

/** Prepared statements kept per SQL text: the same queries run on every request, compiling them once. */
const STATEMENT_CACHE_SIZE = 1_000;

/** What Kysely's SQLite driver uses of a prepared statement. */
interface DriverStatement {
  readonly reader: boolean;
  readonly busy: boolean;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  run(...params: unknown[]): Database.RunResult;
}

/** Statements that change the schema: cached readers may then return other columns. */
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

/**
 * better-sqlite3 builds each row object one column at a time, which for a page of devices (31 columns)
 * costs twice as much as reading the rows as arrays. A reader returns arrays instead, made into objects
 * by a function built once per statement from its column names: the same keys in the same order with the
 * same values (a repeated column name keeps its first place and its last value, as before).
 */
function withObjectRows(statement: Database.Statement): DriverStatement {
  if (!statement.reader) return statement;
  const names = statement.columns().map((column) => column.name);
  // An object literal of fixed shape, compiled once per statement: objects built key by key in a loop end up
  // in V8's slow dictionary mode (measured 74 µs against 2 µs per page of 51 devices). The names are the
  // statement's own column names, each written as a JSON string literal, so no text of a query's values
  // reaches the code.
  const toObject = new Function(
    'row',
    `return { ${names.map((name, i) => `${JSON.stringify(name)}: row[${i}]`).join(', ')} };`,
  ) as (row: unknown[]) => Record<string, unknown>;
  statement.raw(true);
  return {
    reader: true,
    get busy() {
      return statement.busy;
    },
    all: (...params) => (statement.all(...params) as unknown[][]).map(toObject),
    *iterate(...params) {
      for (const row of statement.iterate(...params)) yield toObject(row as unknown[]);
    },
    run: (...params) => statement.run(...params),
  };
}

/**
 * Kysely prepares each query anew; better-sqlite3 statements may be reused as long as none is iterated
 * while run again (Kysely streams through `iterate` only on streaming queries, which get their own).
 */
function withStatementCache(database: Database.Database) {
  const statements = new Map<string, DriverStatement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      // A migration's new or renamed columns: readers are prepared again, with their new column names.
      if (SCHEMA_CHANGE.test(text)) statements.clear();
      const known = statements.get(text);
      if (known && !known.busy) return known;
      const statement = withObjectRows(database.prepare(text));
      if (!known) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

export interface PostgresOptions {
  url: string;
  /** A CA to verify the server against (verify-full: chain and host name). */
  ssl?: { ca: string };
  /** Production: refuse any TCP connection that would not use verified TLS (SEC-8). */
  requireTls: boolean;
  max?: number;
  /** Prepare statements with parameters once per connection (default true; see `preparingStatements`). */
  preparedStatements?: boolean;
}

/** URL parameters that would override an explicit `ssl` option inside node-postgres. */
const urlTlsParams = ['ssl', 'sslmode', 'sslrootcert', 'uselibpqcompat'];
const clientCertParams = ['sslcert', 'sslkey'];

const EMPTY_HOST = 'empty-host.invalid';

interface ParsedUrl {
  url: URL;
  /** '' when the URL names no host (node-postgres then uses localhost over TCP). */
  host: string;
}

function parseUrl(raw: string): ParsedUrl {
  try {
    const url = new URL(raw);
    return { url, host: url.hostname };
  } catch {
    // node-postgres accepts an empty host ("postgres://user@/db"); WHATWG URL does not.
  }
  try {
    return { url: new URL(raw.replace('@/', `@${EMPTY_HOST}/`)), host: '' };
  } catch {
    // The URL itself may hold a password: never echo it.
    throw new Error('DATABASE_URL is not a valid postgres:// URL');
  }
}

/** Where node-postgres would connect: a unix socket directory or a TCP host. */
function isUnixSocket({ url, host }: ParsedUrl): boolean {
  if (url.protocol === 'socket:') return true;
  const hostParam = url.searchParams.get('host');
  if (hostParam) return hostParam.startsWith('/');
  return /^%2f/i.test(host);
}

/** Throws a plain Error naming the fix when the connection would not be TLS with verification. */
function assertVerifiedTls(parsed: ParsedUrl, ssl: PostgresOptions['ssl']): void {
  if (isUnixSocket(parsed) || ssl) return;
  if (parsed.url.searchParams.get('sslmode') === 'verify-full') return;
  throw new Error(
    `Refusing to connect to PostgreSQL at ${parsed.host || 'localhost'} without verified TLS (SEC-8): ` +
      'add sslmode=verify-full and sslrootcert=<CA file> to DATABASE_URL, or give the CA file ' +
      '(a unix-socket host is the only exception).',
  );
}

/** With an explicit CA the TLS settings come from it alone, not from URL parameters. */
function withoutUrlTls({ url }: ParsedUrl): string {
  const clean = new URL(url.href);
  for (const name of clientCertParams) {
    if (clean.searchParams.has(name)) {
      throw new Error(`Give ${name} together with sslrootcert in DATABASE_URL, not with a separate CA file`);
    }
  }
  for (const name of urlTlsParams) clean.searchParams.delete(name);
  return clean.href.replace(`@${EMPTY_HOST}/`, '@/');
}

/** int8 (count(*), bigint columns) as a JS number instead of a string. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** At most this many statement texts get a name per pool (IN lists of different lengths make new texts). */
export const PREPARED_STATEMENT_LIMIT = 500;

/**
 * SPEC 9: statements with parameters are prepared once per connection, under a name given to their text,
 * so PostgreSQL parses them once and may keep a generic plan (its plan cache compares, after five runs,
 * the generic plan with planning each run). A list request's statements spend more time being planned
 * than run. Not prepared: text searches (`like`), whose best plan depends on the pattern, and texts past
 * PREPARED_STATEMENT_LIMIT. A statement whose result changed shape under it (a migration by another node
 * while this one runs) fails once with PostgreSQL's "cached plan must not change result type"; the
 * names then start over, so the next run of each text prepares it again.
 */
function preparingStatements(pool: pg.Pool): void {
  let names = new Map<string, string | null>();
  let generation = 0;
  const nameOf = (text: string): string | null => {
    const known = names.get(text);
    if (known !== undefined) return known;
    // Past the limit nothing more is kept, so texts made on the fly cannot grow the map.
    if (names.size >= PREPARED_STATEMENT_LIMIT) return null;
    const name = /\blike\b/i.test(text) ? null : `ts${generation}_${names.size}`;
    names.set(text, name);
    return name;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    // Kysely calls query(text, values); anything else (cursors, config objects) goes through unchanged.
    client.query = ((text: unknown, values?: unknown, ...rest: unknown[]) => {
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || rest.length > 0)
        return query(text, values, ...rest);
      const name = nameOf(text);
      if (!name) return query(text, values);
      return query({ name, text, values }).catch((error: { code?: string; routine?: string }) => {
        // 0A000 from RevalidateCachedQuery: the prepared statement's result type changed.
        if (error.code === '0A000' && error.routine === 'RevalidateCachedQuery' && names.get(text) === name) {
          generation++;
          names = new Map();
        }
        throw error;
      });
    }) as typeof client.query;
  });
}

export function openPostgres(opts: PostgresOptions): DatabaseHandle {
  const parsed = parseUrl(opts.url);
  if (opts.requireTls) assertVerifiedTls(parsed, opts.ssl);
  const pool = new pg.Pool({
    connectionString: opts.ssl ? withoutUrlTls(parsed) : opts.url,
    ...(opts.ssl ? { ssl: { ca: opts.ssl.ca, rejectUnauthorized: true } } : {}),
    max: opts.max ?? 10,
    types,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  if (opts.preparedStatements ?? true) preparingStatements(pool);
  return handleOf(new Kysely<DB>({ dialect: new DeferredBeginPostgresDialect({ pool }) }), 'postgres');
}
