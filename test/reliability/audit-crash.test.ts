import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganizationWithTenant } from '../../apps/server/src/modules/tenants/tenant-service';
import { listEvents } from '../../apps/server/src/platform/audit-store/read';
import { relayAuditOutbox } from '../../apps/server/src/platform/audit-store/relay';
import { verifyAuditChain } from '../../apps/server/src/platform/audit-store/verify';
import { ManualClock } from '../../apps/server/src/platform/clock';
import { withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import { createRepos } from '../../apps/server/src/repos';
import { createTestAuditStore, type TestAuditStore } from '../support/audit-store';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { REPO_ROOT } from '../support/process';

interface Crashed {
  membershipId: string;
  signal: NodeJS.Signals | null;
}

/** Runs the child until it prints `marker`, then kills it with SIGKILL: no cleanup, no relay, no rollback. */
function runAndKill(env: Record<string, string>, marker: 'committed' | 'in-transaction'): Promise<Crashed> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/reliability/audit-crash-child.ts'],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, CRASH_AT: marker },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let membershipId = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child never reached "${marker}"; output:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = new RegExp(`^${marker} (\\S+)$`, 'm').exec(output);
      if (found && !membershipId) {
        membershipId = found[1]!;
        child.kill('SIGKILL');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      if (!membershipId) reject(new Error(`the child exited before "${marker}"; output:\n${output}`));
      else resolve({ membershipId, signal });
    });
  });
}

describe.each(databaseTargets())('audit events survive a crash on $name', (target) => {
  let t: TestDatabase;
  let audit: TestAuditStore;
  let env: Record<string, string>;
  let tenantId = '';

  beforeAll(async () => {
    t = await target.create();
    audit = await createTestAuditStore(t);
    const slug = `crash-${randomBytes(5).toString('hex')}`;
    const { organization, tenant } = await createOrganizationWithTenant(
      { name: 'Crash Test', slug, clock: new ManualClock() },
      createRepos(t.handle),
    );
    tenantId = tenant.id;
    env = {
      ...(t.name === 'postgres' ? { CRASH_DB_URL: t.url! } : { CRASH_DB_FILE: t.file! }),
      CRASH_TENANT_ID: tenant.id,
      CRASH_ORGANIZATION_ID: organization.id,
    };
  });
  afterAll(async () => {
    await audit?.close();
    await t?.close();
  });

  const membershipExists = async (id: string) =>
    (await withTenant(t.handle, tenantId, (trx) =>
      trx.selectFrom('memberships').select('id').where('id', '=', id).executeTakeFirst(),
    )) !== undefined;
  const eventsFor = async (id: string) =>
    (await listEvents(audit.store, tenantId, { targetType: 'membership', targetId: id, limit: 10 })).events;

  it('SEC-7: a process killed right after commit, before any relay, loses neither the change nor its event', async () => {
    const crashed = await runAndKill({ ...env, CRASH_EMAIL: 'after.commit@example.com' }, 'committed');
    expect(crashed.signal).toBe('SIGKILL');
    expect(await membershipExists(crashed.membershipId)).toBe(true);
    expect(await eventsFor(crashed.membershipId)).toEqual([]);

    expect(await relayAuditOutbox(t.handle, audit.store)).toEqual({ moved: 1 });
    expect(await eventsFor(crashed.membershipId)).toMatchObject([
      {
        action: 'membership.invited',
        actor: { id: 'user-crash', email: 'crash@example.com', name: 'Crash Tester' },
        changes: [{ field: 'role', before: null, after: 'viewer' }],
      },
    ]);
    expect(await verifyAuditChain(audit.store, tenantId, { main: t.handle })).toEqual({ ok: true, count: 1 });
  });

  it('SEC-7: a process killed in the middle of the transaction leaves neither the change nor its event', async () => {
    const crashed = await runAndKill(
      { ...env, CRASH_EMAIL: 'mid.transaction@example.com' },
      'in-transaction',
    );
    expect(crashed.signal).toBe('SIGKILL');
    expect(await membershipExists(crashed.membershipId)).toBe(false);
    expect(await relayAuditOutbox(t.handle, audit.store)).toEqual({ moved: 0 });
    expect(await eventsFor(crashed.membershipId)).toEqual([]);
    // The database is usable again at once: the killed writer's lock went with it.
    const after = await runAndKill({ ...env, CRASH_EMAIL: 'next.writer@example.com' }, 'committed');
    expect(await relayAuditOutbox(t.handle, audit.store)).toEqual({ moved: 1 });
    expect(await eventsFor(after.membershipId)).toHaveLength(1);
    expect(await verifyAuditChain(audit.store, tenantId, { main: t.handle })).toEqual({ ok: true, count: 2 });
  });
});
