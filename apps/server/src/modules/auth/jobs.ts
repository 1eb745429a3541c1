import type { Clock } from '../../platform/clock';
import type { DatabaseHandle } from '../../platform/db/connect';
import type { JobHandler } from '../../platform/jobs/worker';
import type { SessionStore } from '../../platform/sessions';
import { purgeAuthEvents } from './auth-log';

export const ACCESS_PURGE_JOB = 'access.purge';

/** Daily: authentication-log entries past their retention, finished sign-ins, expired sessions. */
export function accessJobHandlers(deps: {
  handle: DatabaseHandle;
  clock: Clock;
  sessionStore: SessionStore;
  signInStates: { purgeExpired(nowSeconds: number): Promise<number> };
  authLogRetentionDays: number;
}): Record<string, JobHandler> {
  return {
    [ACCESS_PURGE_JOB]: async (_job, ctx) => {
      const now = deps.clock.now();
      const authEvents = await purgeAuthEvents(deps.handle, deps.clock, deps.authLogRetentionDays);
      await ctx.reportProgress({ done: 1, total: 3 });
      const signInStates = await deps.signInStates.purgeExpired(Math.floor(now.getTime() / 1000));
      await ctx.reportProgress({ done: 2, total: 3 });
      const sessions = await deps.sessionStore.purgeExpired(now);
      await ctx.reportProgress({ done: 3, total: 3 });
      return { authEvents, signInStates, sessions };
    },
  };
}
