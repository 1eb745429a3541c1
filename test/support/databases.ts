import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, openPostgres, openSqlite } from '../../apps/server/src/platform/db/connect';
import { migrateToLatest } from '../../apps/server/src/platform/db/migrations';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** Migrated; on PostgreSQL connected as the non-owner app role (RLS applies). */
  handle: DatabaseHandle;
  /** The owner connection (the same handle on SQLite). */
  ownerHandle: DatabaseHandle;
  /** App-role URL (PostgreSQL). */
  url?: string;
  /** Owner URL (PostgreSQL): for tools that read the whole database, such as pg_dump. */
  ownerUrl?: string;
  /** Database file (SQLite). */
  file?: string;
  close(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

/**
 * The value of a service's environment variable; under CI=true a missing one is an error, so a
 * missing service fails the run instead of skipping its suites.
 */
export const ciRequires = (name: string): string | undefined => {
  const value = process.env[name];
  if (value) return value;
  if (process.env.CI === 'true') throw new Error(`${name} is required when CI=true`);
  return undefined;
};

async function createSqlite(): Promise<TestDatabase> {
  // A real file in a fresh folder, so WAL and file locking behave as in the embedded default.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-db-'));
  const file = path.join(dir, 'thestorage.sqlite');
  const handle = openSqlite(file);
  await migrateToLatest(handle);
  return {
    name: 'sqlite',
    handle,
    ownerHandle: handle,
    file,
    async close() {
      await handle.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const urlFor = (base: string, user: string, database: string): string => {
  const url = new URL(base);
  url.username = user;
  url.password = '';
  url.pathname = `/${database}`;
  return url.href;
};

async function asAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database owned by a fresh role, and a fresh non-owner app role (trust auth, same host). */
async function createPostgres(adminUrl: string): Promise<TestDatabase> {
  const database = `ts_t_${randomBytes(6).toString('hex')}`;
  const owner = `${database}_owner`;
  const app = `${database}_app`;
  await asAdmin(adminUrl, async (c) => {
    await c.query(`create role ${owner} login nosuperuser nobypassrls`);
    await c.query(`create role ${app} login nosuperuser nobypassrls`);
    await c.query(`create database ${database} owner ${owner}`);
  });
  const drop = () =>
    asAdmin(adminUrl, async (c) => {
      await c.query(`drop database if exists ${database} with (force)`);
      await c.query(`drop role if exists ${app}`);
      await c.query(`drop role if exists ${owner}`);
    });
  const ownerUrl = urlFor(adminUrl, owner, database);
  const ownerHandle = openPostgres({ url: ownerUrl, requireTls: false, max: 2 });
  try {
    await migrateToLatest(ownerHandle, { appRole: app });
    const url = urlFor(adminUrl, app, database);
    const handle = openPostgres({ url, requireTls: false, max: 5 });
    return {
      name: 'postgres',
      handle,
      ownerHandle,
      url,
      ownerUrl,
      async close() {
        await handle.destroy();
        await ownerHandle.destroy();
        await drop();
      },
    };
  } catch (err) {
    await ownerHandle.destroy();
    await drop();
    throw err;
  }
}

/**
 * The databases every SQL suite runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (under CI=true its absence makes the PostgreSQL target fail instead of vanishing).
 */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ name: 'sqlite', create: createSqlite }];
  let adminUrl: string | undefined;
  let missing: Error | undefined;
  try {
    adminUrl = ciRequires('TEST_DATABASE_URL');
  } catch (err) {
    missing = err as Error;
  }
  if (adminUrl) {
    const url = adminUrl;
    targets.push({ name: 'postgres', create: () => createPostgres(url) });
  } else if (missing) {
    const error = missing;
    targets.push({
      name: 'postgres',
      create: () => Promise.reject(error),
    });
  }
  return targets;
}
