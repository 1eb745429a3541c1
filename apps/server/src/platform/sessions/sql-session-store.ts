import type { DatabaseHandle } from '../db/connect';
import { queryTemplate } from '../db/query-template';
import type { SessionRow } from '../db/schema';
import {
  expiryReason,
  hashSessionId,
  initialExpiry,
  mergeData,
  newSessionId,
  parseData,
  resolveTimeouts,
  type Session,
  type SessionLookup,
  type SessionStore,
  type SessionTimeouts,
} from './session-store';

const iso = (d: Date) => d.toISOString();

const toSession = (id: string, row: SessionRow): Session => ({
  id,
  userId: row.user_id,
  activeTenantId: row.active_tenant_id,
  data: parseData(row.data),
  createdAt: new Date(row.created_at),
  lastSeenAt: new Date(row.last_seen_at),
  idleExpiresAt: new Date(row.idle_expires_at),
  absoluteExpiresAt: new Date(row.absolute_expires_at),
});

/** A session by its hash: read on every request, so built and compiled once (see queryTemplate). */
const sessionQuery = queryTemplate((db, v: { idHash: string }) =>
  db.selectFrom('sessions').selectAll().where('id_hash', '=', v.idHash),
);

/** Sessions in the app database (SQLite embedded, PostgreSQL in production); timestamps are ISO text. */
export function createSqlSessionStore(opts: {
  database: DatabaseHandle;
  timeouts?: Partial<SessionTimeouts>;
}): SessionStore {
  const { db, dialect } = opts.database;
  const timeouts = resolveTimeouts(opts.timeouts);

  const lookup = async (id: string, now: Date): Promise<SessionLookup> => {
    const idHash = hashSessionId(id);
    const [row] = await sessionQuery.execute(db, dialect, { idHash });
    if (!row) return { state: 'missing' };
    const session = toSession(id, row);
    const reason = expiryReason(session, now);
    if (!reason) return { state: 'active', session };
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return { state: 'expired', userId: session.userId, reason };
  };

  return {
    timeouts,

    async create({ userId, activeTenantId, data = {} }, now) {
      const id = newSessionId();
      const { idleExpiresAt, absoluteExpiresAt } = initialExpiry(now, timeouts);
      await db
        .insertInto('sessions')
        .values({
          id_hash: hashSessionId(id),
          user_id: userId,
          active_tenant_id: activeTenantId,
          data: JSON.stringify(data),
          created_at: iso(now),
          last_seen_at: iso(now),
          idle_expires_at: iso(idleExpiresAt),
          absolute_expires_at: iso(absoluteExpiresAt),
        })
        .execute();
      return {
        id,
        session: {
          id,
          userId,
          activeTenantId,
          data,
          createdAt: now,
          lastSeenAt: now,
          idleExpiresAt,
          absoluteExpiresAt,
        },
      };
    },

    lookup,

    async get(id, now) {
      const found = await lookup(id, now);
      return found.state === 'active' ? found.session : null;
    },

    async touch(id, now) {
      const slid = new Date(now.getTime() + timeouts.idleMs).toISOString();
      const result = await db
        .updateTable('sessions')
        .set((eb) => ({
          last_seen_at: iso(now),
          // Never past the absolute timeout (ISO text compares in time order).
          idle_expires_at: eb
            .case()
            .when('absolute_expires_at', '<', slid)
            .then(eb.ref('absolute_expires_at'))
            .else(slid)
            .end(),
        }))
        .where('id_hash', '=', hashSessionId(id))
        .where('last_seen_at', '<=', iso(new Date(now.getTime() - timeouts.touchIntervalMs)))
        .where('idle_expires_at', '>', iso(now))
        .where('absolute_expires_at', '>', iso(now))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async update(id, patch) {
      const idHash = hashSessionId(id);
      return db.transaction().execute(async (trx) => {
        let query = trx.selectFrom('sessions').select(['data']).where('id_hash', '=', idHash);
        // Two nodes patching one session must not lose each other's keys.
        if (dialect === 'postgres') query = query.forUpdate();
        const row = await query.executeTakeFirst();
        if (!row) return false;
        await trx
          .updateTable('sessions')
          .set({
            data: JSON.stringify(mergeData(parseData(row.data), patch.data)),
            ...(patch.activeTenantId !== undefined ? { active_tenant_id: patch.activeTenantId } : {}),
          })
          .where('id_hash', '=', idHash)
          .execute();
        return true;
      });
    },

    async revoke(id) {
      await db.deleteFrom('sessions').where('id_hash', '=', hashSessionId(id)).execute();
    },

    async revokeAllForUser(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    async purgeExpired(now) {
      const at = iso(now);
      const result = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('idle_expires_at', '<=', at), eb('absolute_expires_at', '<=', at)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
