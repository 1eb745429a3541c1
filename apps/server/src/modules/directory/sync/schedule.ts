import type { Clock } from '../../../platform/clock';
import type { DatabaseHandle } from '../../../platform/db/connect';
import { withSystem, withTenant } from '../../../platform/db/tenant-scope';
import type { JobHandler } from '../../../platform/jobs/worker';
import { directoryConnectionsRepo } from './connections-repo';

export const DIRECTORY_SCHEDULE_JOB = 'directory.schedule';

/** How far a time zone is ahead of UTC at one instant, from the runtime's own time-zone data (Intl). */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) -
    instant
  );
}

/** The instant at which `HH:MM` falls on the local date of `now` in `timeZone` (DIR-3: daily local time). */
export function scheduledInstant(now: Date, time: string, timeZone: string): Date {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const local = new Date(now.getTime() + offsetMs(now.getTime(), timeZone));
  const wallClock = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hours, minutes);
  // Two passes: the offset at the scheduled instant may differ from now's (a daylight-saving change today).
  const first = wallClock - offsetMs(wallClock, timeZone);
  return new Date(wallClock - offsetMs(first, timeZone));
}

/** Today's sync is due once its local time has passed and no sync has run since. */
export function syncIsDue(
  connection: { sync_time: string; sync_time_zone: string; last_sync_at: string | null },
  now: Date,
): boolean {
  const scheduled = scheduledInstant(now, connection.sync_time, connection.sync_time_zone);
  if (now < scheduled) return false;
  return connection.last_sync_at === null || new Date(connection.last_sync_at) < scheduled;
}

/** Queues the daily sync of every connection whose local sync time has passed today (run hourly). */
export async function queueDueSyncs(handle: DatabaseHandle, clock: Clock): Promise<number> {
  const now = clock.now();
  const connections = await withSystem(handle, (db) =>
    db
      .selectFrom('directory_connections')
      .select(['id', 'tenant_id', 'sync_time', 'sync_time_zone', 'last_sync_at'])
      .where('status', '!=', 'disconnected')
      .execute(),
  );
  let queued = 0;
  for (const connection of connections.filter((c) => syncIsDue(c, now))) {
    const tenantId = String(connection.tenant_id);
    await withTenant(handle, tenantId, (trx) =>
      directoryConnectionsRepo(trx, tenantId).enqueueSync(String(connection.id), clock),
    );
    queued += 1;
  }
  return queued;
}

export function directoryScheduleHandlers(deps: {
  handle: DatabaseHandle;
  clock: Clock;
}): Record<string, JobHandler> {
  return {
    [DIRECTORY_SCHEDULE_JOB]: async () => ({ queued: await queueDueSyncs(deps.handle, deps.clock) }),
  };
}
