import { createHash } from 'node:crypto';
import type { SignInStateStore, TakenSignIn } from '../../platform/auth/relying-party/state-store';
import type { PendingSignIn } from '../../platform/auth/relying-party/types';
import type { DatabaseHandle } from '../../platform/db/connect';

const hashOf = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * Started sign-ins in SQL, so any node can finish what another started. A state is taken once:
 * the update that clears `pending` is the atomic claim; a used state is kept until it would have
 * expired, so a replay is told apart from a forged state.
 */
export function createSqlSignInStateStore(handle: DatabaseHandle): SignInStateStore & {
  purgeExpired(nowSeconds: number): Promise<number>;
} {
  const db = handle.db;
  return {
    async save(pending: PendingSignIn) {
      await db
        .insertInto('sign_in_states')
        .values({
          state_hash: hashOf(pending.state),
          pending: JSON.stringify(pending),
          expires_at: pending.expiresAt,
          used_at: null,
        })
        .execute();
    },
    async take(state: string, nowSeconds: number): Promise<TakenSignIn> {
      const stateHash = hashOf(state);
      const row = await db
        .selectFrom('sign_in_states')
        .select(['pending', 'used_at', 'expires_at'])
        .where('state_hash', '=', stateHash)
        .executeTakeFirst();
      if (!row) return { status: 'unknown' };
      if (row.used_at !== null || row.pending === null) return { status: 'used' };
      if (row.expires_at < nowSeconds) return { status: 'unknown' };
      // The conditional update is the claim: of two concurrent takes only one changes the row.
      const claimed = await db
        .updateTable('sign_in_states')
        .set({ pending: null, used_at: nowSeconds })
        .where('state_hash', '=', stateHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return { status: 'used' };
      return { status: 'pending', pending: JSON.parse(row.pending) as PendingSignIn };
    },
    async purgeExpired(nowSeconds: number) {
      const result = await db
        .deleteFrom('sign_in_states')
        .where('expires_at', '<', nowSeconds)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
