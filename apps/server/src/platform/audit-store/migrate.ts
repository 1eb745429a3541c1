// Like db/migrations.ts, this imports kysely's migration API (kysely 0.29 moves it to 'kysely/migration').
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Dialect } from '../db/connect';
import { protectTenantTable } from '../db/rls';
import { ERASED } from './event';
import { AUDIT_SCHEMA, type AuditStore } from './store';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
type AnyDb = Kysely<any>;

/** Columns that never change once written; only an authorised erasure may touch the actor's personal data. */
const IMMUTABLE_COLUMNS = [
  'id',
  'tenant_id',
  'seq',
  'occurred_at',
  'actor_id',
  'actor_digest',
  'action',
  'target_type',
  'target_id',
  'changes',
  'request_id',
  'prev_hash',
  'hash',
];

async function createEvents(db: AnyDb, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const schema = pg ? db.schema.withSchema(AUDIT_SCHEMA) : db.schema;
  await schema
    .createTable('events')
    .addColumn('id', pg ? 'uuid' : 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', pg ? 'uuid' : 'text', (c) => c.notNull())
    .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_email', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('actor_salt', 'text')
    .addColumn('actor_digest', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  // One event per position: two writers can never fork a chain, whatever happens to the locks.
  await schema
    .createIndex('events_tenant_seq_uq')
    .unique()
    .on('events')
    .columns(['tenant_id', 'seq'])
    .execute();
  // The per-device history view: newest first within one target.
  await schema
    .createIndex('events_tenant_target_idx')
    .on('events')
    .columns(['tenant_id', 'target_type', 'target_id', 'seq'])
    .execute();
  await schema.createIndex('events_actor_idx').on('events').column('actor_id').execute();
}

/** SQLite has no roles: triggers make the table append-only, except for an authorised purge. */
async function sqliteAppendOnly(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('purge_authorizations')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('purge_authorizations_pk', ['scope', 'subject'])
    .execute();
  const changed = sql.raw(IMMUTABLE_COLUMNS.map((c) => `new.${c} is not old.${c}`).join(' or '));
  const erased = sql.lit(ERASED);
  await sql`
    create trigger events_append_only_update before update on events
    when not exists (select 1 from purge_authorizations where scope = 'actor' and subject = old.actor_id)
      or ${changed}
      or new.actor_email is not ${erased} or new.actor_name is not ${erased} or new.actor_salt is not null
    begin select raise(abort, 'audit events are append-only'); end`.execute(db);
  await sql`
    create trigger events_append_only_delete before delete on events
    when not exists (select 1 from purge_authorizations where scope = 'tenant' and subject = old.tenant_id)
    begin select raise(abort, 'audit events are append-only'); end`.execute(db);
}

/**
 * PostgreSQL: the app role gets no UPDATE or DELETE; purges run as the schema owner through these
 * functions. Each widens the row-level-security scope for its own statement only and restores it.
 */
async function postgresPurgeFunctions(db: AnyDb): Promise<void> {
  await sql`
    create function audit.purge_tenant(tenant uuid) returns bigint
    language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
    declare
      previous text := current_setting('app.tenant_id', true);
      removed bigint;
    begin
      perform set_config('app.tenant_id', tenant::text, true);
      delete from audit.events where tenant_id = tenant;
      get diagnostics removed = row_count;
      perform set_config('app.tenant_id', coalesce(previous, ''), true);
      return removed;
    end $$`.execute(db);
  await sql`
    create function audit.purge_actor(actor text) returns bigint
    language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
    declare
      previous text := current_setting('app.system', true);
      erased bigint;
    begin
      perform set_config('app.system', 'on', true);
      update audit.events
         set actor_email = ${sql.lit(ERASED)}, actor_name = ${sql.lit(ERASED)}, actor_salt = null
       where actor_id = actor and actor_salt is not null;
      get diagnostics erased = row_count;
      perform set_config('app.system', coalesce(previous, ''), true);
      return erased;
    end $$`.execute(db);
  // Functions are executable by PUBLIC by default; only roles granted below may purge.
  await sql`revoke all on function audit.purge_tenant(uuid) from public`.execute(db);
  await sql`revoke all on function audit.purge_actor(text) from public`.execute(db);
}

/** The audit store's own migration set, separate from the main one (its own file or schema). */
const auditMigrations = (dialect: Dialect): Record<string, Migration> => ({
  '0001-events': {
    async up(db: AnyDb) {
      if (dialect === 'postgres') await sql`create schema if not exists ${sql.id(AUDIT_SCHEMA)}`.execute(db);
      await createEvents(db, dialect);
      if (dialect === 'sqlite') {
        await sqliteAppendOnly(db);
        return;
      }
      await protectTenantTable(db, dialect, `${AUDIT_SCHEMA}.events`);
      await postgresPurgeFunctions(db);
    },
  },
});

/** The app role may read and append, and call the purge functions; nothing else. */
async function grantAppRole(db: AnyDb, appRole: string): Promise<void> {
  const role = sql.id(appRole);
  await sql`grant usage on schema ${sql.id(AUDIT_SCHEMA)} to ${role}`.execute(db);
  await sql`revoke all on audit.events from ${role}`.execute(db);
  await sql`grant select, insert on audit.events to ${role}`.execute(db);
  await sql`grant execute on function audit.purge_tenant(uuid), audit.purge_actor(text) to ${role}`.execute(
    db,
  );
}

/**
 * Brings the audit store to its latest version; run at start next to migrateToLatest (PostgreSQL: as
 * the owner, with `appRole` the role the app connects as).
 */
export async function migrateAuditStore(store: AuditStore, opts: { appRole?: string } = {}): Promise<void> {
  const migrator = new Migrator({
    db: store.root,
    provider: { getMigrations: async () => auditMigrations(store.dialect) },
    ...(store.dialect === 'postgres' ? { migrationTableSchema: AUDIT_SCHEMA } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(failed ? `Audit store migration ${failed} failed` : 'Audit store migration failed', {
      cause: error,
    });
  }
  if (store.dialect === 'postgres' && opts.appRole) await grantAppRole(store.root, opts.appRole);
}
