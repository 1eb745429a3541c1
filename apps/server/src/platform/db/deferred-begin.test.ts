import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { openPostgres } from './connect';
import { newId } from './ids';
import { withSystem, withTenant } from './tenant-scope';

describe.each(databaseTargets().filter((x) => x.name === 'postgres'))('$name deferred BEGIN', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(() => t?.close());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A one-connection handle and the statements its connection sends (watched from before it connects). */
  const watched = () => {
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      if (text) sent.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Client.prototype.query);
    return { handle: openPostgres({ url: t.url!, requireTls: false, max: 1 }), sent };
  };
  it('SEC-8 / SPEC 9: the tenant binding travels with BEGIN in one round trip and holds for the whole transaction only', async () => {
    const { handle, sent } = watched();
    try {
      const tenantId = newId();
      const inside = await withTenant(handle, tenantId, async (trx) => {
        const { rows } = await sql<{ t: string }>`select current_setting('app.tenant_id', true) as t`.execute(
          trx,
        );
        return rows[0]!.t;
      });
      expect(inside).toBe(tenantId);
      expect(sent).toEqual([
        `begin; /* with begin */ select set_config('app.tenant_id', '${tenantId}', true)`,
        "select current_setting('app.tenant_id', true) as t",
        'commit',
      ]);
      // The same pooled connection afterwards: no tenant.
      const after = await sql<{
        t: string | null;
      }>`select current_setting('app.tenant_id', true) as t`.execute(handle.db);
      expect(after.rows[0]!.t ?? '').toBe('');
      sent.length = 0;
      const system = await withSystem(handle, async (trx) => {
        const { rows } = await sql<{ s: string }>`select current_setting('app.system', true) as s`.execute(
          trx,
        );
        return rows[0]!.s;
      });
      expect(system).toBe('on');
      expect(sent[0]).toBe("begin; /* with begin */ select set_config('app.system', 'on', true)");
    } finally {
      await handle.destroy();
    }
  });

  it('SPEC 9: a transaction that sends nothing costs nothing; one that starts otherwise gets its BEGIN first; a failure rolls back', async () => {
    const { handle, sent } = watched();
    try {
      await sql.raw('create temporary table deferred_rows (n int)').execute(handle.db);
      sent.length = 0;
      expect(await handle.db.transaction().execute(async () => 'nothing sent')).toBe('nothing sent');
      await expect(
        handle.db.transaction().execute(async () => {
          throw new Error('before any statement');
        }),
      ).rejects.toThrow('before any statement');
      expect(sent).toEqual([]);

      await handle.db.transaction().execute(async (trx) => {
        await sql`insert into deferred_rows values (${1})`.execute(trx);
      });
      expect(sent).toEqual(['begin', 'insert into deferred_rows values ($1)', 'commit']);

      await expect(
        handle.db.transaction().execute(async (trx) => {
          await sql`insert into deferred_rows values (${2})`.execute(trx);
          throw new Error('after a write');
        }),
      ).rejects.toThrow('after a write');
      const { rows } = await sql<{ n: number }>`select n from deferred_rows order by n`.execute(handle.db);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await handle.destroy();
    }
  });
});
