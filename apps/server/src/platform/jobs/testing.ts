import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { newId } from '../db/ids';
import { withSystem } from '../db/tenant-scope';
import type { JobLogger } from './worker';

/** Test helper: one organization with tenants A and B, the job tables' foreign keys satisfied. */
export async function seedTwoTenants(
  handle: DatabaseHandle,
  clock: Clock,
): Promise<{ a: string; b: string }> {
  const now = clock.now().toISOString();
  const organizationId = newId();
  const a = newId();
  const b = newId();
  await withSystem(handle, async (trx) => {
    await trx
      .insertInto('organizations')
      .values({ id: organizationId, name: 'Jobs Test Org', created_at: now, updated_at: now })
      .execute();
    for (const [id, slug] of [
      [a, `jobs-a-${a.slice(-8)}`],
      [b, `jobs-b-${b.slice(-8)}`],
    ] as const) {
      await trx
        .insertInto('tenants')
        .values({
          id,
          organization_id: organizationId,
          slug,
          name: slug,
          plan: 'free',
          trial_ends_at: now,
          cancelled_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  });
  return { a, b };
}

/** A logger that keeps what it was told, for assertions. */
export function recordingLogger(): JobLogger & { lines: { level: string; msg: string | undefined }[] } {
  const lines: { level: string; msg: string | undefined }[] = [];
  return {
    lines,
    info: (_obj, msg) => lines.push({ level: 'info', msg }),
    warn: (_obj, msg) => lines.push({ level: 'warn', msg }),
    error: (_obj, msg) => lines.push({ level: 'error', msg }),
  };
}
