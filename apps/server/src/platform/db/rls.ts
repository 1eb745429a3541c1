import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle, Dialect } from './connect';

/**
 * PostgreSQL row-level security for tenant tables (SEC-8). A row is visible when its tenant_id is the
 * transaction's `app.tenant_id`, or when platform code opened the `app.system` scope (job leasing
 * across tenants, the platform console). Empty settings read back as '' in pooled sessions: NULLIF.
 */
export const TENANT_POLICY = 'tenant_isolation';

// Each setting is read once per query (an InitPlan), not once per row: counting 100,000 rows pays it once.
const policyPredicate = sql.raw(
  "tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid) " +
    "OR (SELECT current_setting('app.system', true)) = 'on'",
);

/** Migrations call this for every table with a tenant_id column; a no-op on SQLite (the repos filter). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function protectTenantTable(db: Kysely<any>, dialect: Dialect, table: string): Promise<void> {
  if (dialect !== 'postgres') return;
  const t = sql.table(table);
  await sql`alter table ${t} enable row level security`.execute(db);
  await sql`alter table ${t} force row level security`.execute(db);
  await sql`drop policy if exists ${sql.id(TENANT_POLICY)} on ${t}`.execute(db);
  await sql`create policy ${sql.id(TENANT_POLICY)} on ${t} for all using (${policyPredicate}) with check (${policyPredicate})`.execute(
    db,
  );
}

export interface UnprotectedTable {
  table: string;
  problems: string[];
}

interface TenantTableState {
  schema: string;
  table: string;
  rls_enabled: boolean;
  rls_forced: boolean;
  policies: number;
}

/**
 * Every table with a tenant_id column in `schema` that lacks RLS enabled, forced, or a policy for all
 * commands that reads `app.tenant_id` in both USING and WITH CHECK. Empty means fully covered.
 */
export async function findUnprotectedTenantTables(
  // biome-ignore lint/suspicious/noExplicitAny: inspects catalog tables outside the app schema
  db: Kysely<any>,
  schema = 'public',
): Promise<UnprotectedTable[]> {
  const { rows } = await sql<TenantTableState>`
    select n.nspname as schema, c.relname as table,
           c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
           (select count(*) from pg_policies p
             where p.schemaname = n.nspname and p.tablename = c.relname and p.cmd = 'ALL'
               and p.qual like '%app.tenant_id%' and p.with_check like '%app.tenant_id%') as policies
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema}
       and c.relkind in ('r', 'p')
       and exists (select 1 from information_schema.columns col
                    where col.table_schema = n.nspname and col.table_name = c.relname
                      and col.column_name = 'tenant_id')
     order by c.relname`.execute(db);
  return rows
    .map((r) => ({
      table: `${r.schema}.${r.table}`,
      problems: [
        ...(r.rls_enabled ? [] : ['row level security is not enabled']),
        ...(r.rls_forced ? [] : ['row level security is not forced (the owner would bypass it)']),
        ...(Number(r.policies) > 0 ? [] : ['no tenant policy for all commands']),
      ],
    }))
    .filter((r) => r.problems.length > 0);
}

interface RoleState {
  name: string;
  rolsuper: boolean;
  rolbypassrls: boolean;
}

/**
 * Why the connected role must not serve the app: superusers, BYPASSRLS roles and table owners all
 * escape row-level security. Production refuses to start on any problem. Always [] on SQLite.
 */
export async function checkAppRole(handle: DatabaseHandle): Promise<string[]> {
  if (handle.dialect !== 'postgres') return [];
  const role = await sql<RoleState>`
    select current_user as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(
    handle.db,
  );
  const owned = await sql<{ name: string }>`
    select n.nspname || '.' || c.relname as name
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
       and pg_has_role(current_user, c.relowner, 'MEMBER')
     order by 1`.execute(handle.db);
  const me = role.rows[0];
  const problems: string[] = [];
  if (me?.rolsuper)
    problems.push(`database role "${me.name}" is a superuser (it bypasses row-level security)`);
  if (me?.rolbypassrls) problems.push(`database role "${me.name}" has BYPASSRLS`);
  if (owned.rows.length > 0) {
    const names = owned.rows.map((r) => r.name);
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length} in all)` : '');
    problems.push(
      `database role "${me?.name}" owns application tables (owners can disable row-level security): ${shown}`,
    );
  }
  return problems;
}
