// A service process for audit-crash.test.ts: writes a change and its audit event in one transaction,
// announces how far it got on stdout, then waits to be killed with SIGKILL (it never relays).
import { recordAuditEvent } from '../../apps/server/src/platform/audit-store/outbox';
import { openPostgres, openSqlite } from '../../apps/server/src/platform/db/connect';
import { newId } from '../../apps/server/src/platform/db/ids';
import { withTenant } from '../../apps/server/src/platform/db/tenant-scope';

const { CRASH_DB_FILE, CRASH_DB_URL, CRASH_TENANT_ID, CRASH_ORGANIZATION_ID, CRASH_EMAIL, CRASH_AT } =
  process.env;
const keepAlive = () => setInterval(() => {}, 60_000);

const main = CRASH_DB_URL
  ? openPostgres({ url: CRASH_DB_URL, requireTls: false, max: 1 })
  : openSqlite(CRASH_DB_FILE!);
const tenantId = CRASH_TENANT_ID!;
const now = new Date();
const membershipId = newId();

await withTenant(main, tenantId, async (trx) => {
  await trx
    .insertInto('memberships')
    .values({
      id: membershipId,
      tenant_id: tenantId,
      organization_id: CRASH_ORGANIZATION_ID!,
      subject_ref: `pending:${CRASH_EMAIL}`,
      email: CRASH_EMAIL!,
      role: 'viewer',
      is_global: 0,
      status: 'pending',
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  await recordAuditEvent(trx, {
    tenantId,
    occurredAt: now,
    actor: { id: 'user-crash', email: 'crash@example.com', name: 'Crash Tester' },
    action: 'membership.invited',
    target: { type: 'membership', id: membershipId },
    changes: [{ field: 'role', before: null, after: 'viewer' }],
    requestId: 'req-crash',
  });
  if (CRASH_AT === 'in-transaction') {
    process.stdout.write(`in-transaction ${membershipId}\n`);
    keepAlive();
    await new Promise(() => {});
  }
});
process.stdout.write(`committed ${membershipId}\n`);
keepAlive();
