import type { Kysely } from 'kysely';
import type { Clock } from '../../../platform/clock';
import type { LinkKeys } from '../../../platform/crypto/link-keys';
import { newId } from '../../../platform/db/ids';
import type {
  DB,
  DirectoryConnectionKind,
  DirectoryConnectionRow,
  DirectoryConnectionStatus,
} from '../../../platform/db/schema';
import { enqueueJob } from '../../../platform/jobs/queue';

export const DIRECTORY_SYNC_JOB = 'directory.sync';

/** The tenant secret holding a connection's credential (Entra client secret, Google JSON key), sealed. */
export const credentialSecretName = (connectionId: string) => `directory-connection:${connectionId}`;

export interface ConnectionSetup {
  organizationId: string;
  kind: DirectoryConnectionKind;
  /** Without secrets: the credential is a sealed tenant secret. */
  settings: Record<string, string>;
  syncTime?: string;
  syncTimeZone?: string;
}

export interface SyncOutcome {
  status: Extract<DirectoryConnectionStatus, 'healthy' | 'failing'>;
  count?: number;
  deltaToken?: string | null;
  error?: { code: string; message: string };
}

/** One tenant's directory connection rows; they name no person and hold no secret. */
export const directoryConnectionsRepo = (trx: Kysely<DB>, tenantId: string) => ({
  /** The organization's connection, when this tenant set it up. */
  async forOrganization(organizationId: string): Promise<DirectoryConnectionRow | undefined> {
    return trx
      .selectFrom('directory_connections')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
  },

  async getById(id: string): Promise<DirectoryConnectionRow | undefined> {
    return trx
      .selectFrom('directory_connections')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** Creates the connection, or replaces its settings; a replaced one reads its directory in full again. */
  async save(
    setup: ConnectionSetup,
    now: Date,
  ): Promise<{ before?: DirectoryConnectionRow; after: DirectoryConnectionRow }> {
    const at = now.toISOString();
    const before = await this.forOrganization(setup.organizationId);
    const schedule = {
      ...(setup.syncTime ? { sync_time: setup.syncTime } : {}),
      ...(setup.syncTimeZone ? { sync_time_zone: setup.syncTimeZone } : {}),
    };
    if (before) {
      const after = await trx
        .updateTable('directory_connections')
        .set({
          kind: setup.kind,
          settings: JSON.stringify(setup.settings),
          delta_token: null,
          status: 'never_synced',
          last_error_code: null,
          last_error_message: null,
          ...schedule,
          updated_at: at,
          version: Number(before.version) + 1,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before, after };
    }
    const after = await trx
      .insertInto('directory_connections')
      .values({
        id: newId(),
        tenant_id: tenantId,
        organization_id: setup.organizationId,
        kind: setup.kind,
        settings: JSON.stringify(setup.settings),
        delta_token: null,
        status: 'never_synced',
        last_sync_at: null,
        last_success_at: null,
        last_error_code: null,
        last_error_message: null,
        last_count: null,
        ...schedule,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { after };
  },

  /** Stops refreshes: the cached people then expire 14 days after the last success (SEC-5). */
  async disconnect(id: string, now: Date): Promise<DirectoryConnectionRow | undefined> {
    const before = await this.getById(id);
    if (!before) return undefined;
    return trx
      .updateTable('directory_connections')
      .set({
        status: 'disconnected',
        delta_token: null,
        updated_at: now.toISOString(),
        version: Number(before.version) + 1,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },

  /**
   * Records how a sync ended, unless the connection was replaced or disconnected meanwhile
   * (its version moved on); false then.
   */
  async recordSync(id: string, version: number, outcome: SyncOutcome, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const result = await trx
      .updateTable('directory_connections')
      .set({
        status: outcome.status,
        last_sync_at: at,
        ...(outcome.status === 'healthy'
          ? {
              last_success_at: at,
              last_count: outcome.count ?? 0,
              delta_token: outcome.deltaToken ?? null,
              last_error_code: null,
              last_error_message: null,
            }
          : {
              last_error_code: outcome.error?.code ?? 'internal_error',
              last_error_message: outcome.error?.message ?? 'The sync stopped on an unexpected error',
            }),
        updated_at: at,
        version: version + 1,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /**
   * Queues a sync of the connection with the caller's transaction; a sync of this tenant that has not
   * finished yet is returned instead, so "Sync users" pressed twice runs once.
   */
  async enqueueSync(connectionId: string, clock: Clock): Promise<string> {
    const pending = await trx
      .selectFrom('jobs')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', DIRECTORY_SYNC_JOB)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (pending) return String(pending.id);
    const job = await enqueueJob(
      trx,
      { tenantId, kind: DIRECTORY_SYNC_JOB, payload: { connectionId }, maxAttempts: 3 },
      clock,
    );
    return job.id;
  },

  /** Employee references (SEC-6) for directory identities, under the organization's link key. */
  async employeeReferences(
    linkKeys: LinkKeys,
    organizationId: string,
    identities: readonly string[],
  ): Promise<string[]> {
    const references: string[] = [];
    for (const identity of identities)
      references.push(await linkKeys.employeeReference(trx, organizationId, identity));
    return references;
  },
});

export type DirectoryConnectionsRepo = ReturnType<typeof directoryConnectionsRepo>;
