import type { Clock } from '../../../platform/clock';
import type { Keyring } from '../../../platform/crypto/keyring';
import type { LinkKeys } from '../../../platform/crypto/link-keys';
import type { DirectoryConnectionRow } from '../../../platform/db/schema';
import { AppError } from '../../../platform/http/errors';
import type { JobContext, JobHandler, JobLogger } from '../../../platform/jobs';
import type { Repos } from '../../../repos';
import { assertMayUse } from '../../tenants/plans';
import type { DirectoryCache } from '../cache/directory-cache';
import type { DirectoryEntry } from '../cache/directory-entry';
import { DirectoryConnectionError, type DirectoryConnector, type DirectoryPage } from '../types';
import { credentialSecretName, DIRECTORY_SYNC_JOB, type SyncOutcome } from './connections-repo';

export { DIRECTORY_SYNC_JOB };

import {
  type ConnectorFactory,
  type ConnectorSpec,
  createConnectorFactory,
  directoryIdentity,
} from './connector-factory';

export interface DirectorySyncDeps {
  repos: Pick<Repos, 'forTenant'>;
  keyring: Keyring;
  clock: Clock;
  linkKeys: LinkKeys;
  directoryCache: DirectoryCache;
  /** Builds the connector; defaults to the real Entra ID / Google Workspace connectors. */
  connectorFor?: ConnectorFactory;
  /** Ids and counts only: a person's name never reaches a log (SEC-5). */
  logger?: Pick<JobLogger, 'info' | 'warn'>;
}

export interface DirectorySyncPayload {
  connectionId: string;
}

export type DirectorySyncResult =
  | { status: 'healthy'; count: number; full: boolean }
  | { status: 'failing'; code: string }
  | { status: 'skipped'; reason: 'no_connection' | 'disconnected' | 'superseded' };

type SyncContext = Pick<JobContext, 'reportProgress' | 'signal'>;

interface Loaded {
  connection: DirectoryConnectionRow;
  spec: ConnectorSpec;
}

/** Reads the directory once and keeps every person under their employee reference. */
async function readDirectory(
  deps: DirectorySyncDeps,
  tenantId: string,
  loaded: Loaded,
  connector: DirectoryConnector,
  deltaToken: string | null,
  ctx: SyncContext,
) {
  const organizationId = String(loaded.connection.organization_id);
  const upserts: DirectoryEntry[] = [];
  const removedReferences: string[] = [];
  const referencesOf = (identities: string[]) =>
    deps.repos
      .forTenant(tenantId)
      .transaction((r) =>
        r.directoryConnections.employeeReferences(deps.linkKeys, organizationId, identities),
      );
  const onPage = async (page: DirectoryPage) => {
    const references = await referencesOf(
      page.people.map((p) => directoryIdentity(loaded.spec, p.directoryId)),
    );
    page.people.forEach((person, i) => {
      upserts.push({ reference: references[i]!, person });
    });
    const removed = page.removedIds.map((id) => directoryIdentity(loaded.spec, id));
    removedReferences.push(...(await referencesOf(removed)));
    await ctx.reportProgress({ done: upserts.length, total: null, message: 'Reading the directory' });
  };
  const result = await connector.sync({ deltaToken, signal: ctx.signal, onPage });
  return { result, upserts, removedReferences };
}

async function load(deps: DirectorySyncDeps, tenantId: string, connectionId: string) {
  return deps.repos.forTenant(tenantId).transaction(async (r) => {
    const connection = await r.directoryConnections.getById(connectionId);
    if (!connection || connection.status === 'disconnected') return { connection };
    const tenant = await r.tenant.get();
    if (!tenant) return { connection: undefined };
    const credential = await r.secrets.reveal(deps.keyring, credentialSecretName(connectionId));
    return { connection, tenant, credential };
  });
}

/**
 * DIR-3: one sync of an organization's directory into the 14-day cache. A full read replaces the
 * cached people; a delta read is applied on top (and a full read follows when nothing was cached any
 * more). A failing directory leaves the cache alone, so names expire 14 days after the last success.
 */
export async function runDirectorySync(
  deps: DirectorySyncDeps,
  target: { tenantId: string; connectionId: string },
  ctx: SyncContext,
): Promise<DirectorySyncResult> {
  const { tenantId, connectionId } = target;
  const { connection, tenant, credential } = await load(deps, tenantId, connectionId);
  if (!connection) return { status: 'skipped', reason: 'no_connection' };
  if (connection.status === 'disconnected') return { status: 'skipped', reason: 'disconnected' };
  const version = Number(connection.version);
  const organizationId = String(connection.organization_id);
  const record = (outcome: SyncOutcome) =>
    deps.repos
      .forTenant(tenantId)
      .transaction((r) =>
        r.directoryConnections.recordSync(connectionId, version, outcome, deps.clock.now()),
      );
  const fail = async (code: string, message: string): Promise<DirectorySyncResult> => {
    const recorded = await record({ status: 'failing', error: { code, message } });
    deps.logger?.warn({ tenantId, connectionId, code }, 'directory sync failed');
    return recorded ? { status: 'failing', code } : { status: 'skipped', reason: 'superseded' };
  };

  try {
    assertMayUse(
      { plan: tenant!.plan, trialEndsAt: tenant!.trial_ends_at, cancelledAt: tenant!.cancelled_at },
      'directory_sync',
      deps.clock.now(),
    );
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message);
    throw err;
  }
  if (!credential) return fail('unauthorized', 'The connection has no stored credential: connect it again');

  const loaded: Loaded = {
    connection,
    spec: { kind: connection.kind, settings: JSON.parse(connection.settings), credential },
  };
  const connectorFor = deps.connectorFor ?? createConnectorFactory();
  try {
    const connector = connectorFor(loaded.spec);
    let read = await readDirectory(deps, tenantId, loaded, connector, connection.delta_token, ctx);
    let count: number;
    if (read.result.full) {
      ({ count } = await deps.directoryCache.replaceAll(organizationId, read.upserts));
    } else {
      const applied = await deps.directoryCache.apply(organizationId, read);
      count = applied.count;
      if (!applied.hadSnapshot) {
        // The cache forgot the people (expired, Redis restarted): a delta alone would leave most unknown.
        read = await readDirectory(deps, tenantId, loaded, connector, null, ctx);
        ({ count } = await deps.directoryCache.replaceAll(organizationId, read.upserts));
      }
    }
    const recorded = await record({ status: 'healthy', count, deltaToken: read.result.deltaToken });
    if (!recorded) return { status: 'skipped', reason: 'superseded' };
    deps.logger?.info({ tenantId, connectionId, count, full: read.result.full }, 'directory synced');
    return { status: 'healthy', count, full: read.result.full };
  } catch (err) {
    if (err instanceof DirectoryConnectionError) return fail(err.code, err.message);
    if (err instanceof AppError) return fail(err.code, err.message);
    if (ctx.signal.aborted) throw err;
    await fail('internal_error', 'The sync stopped on an unexpected error');
    throw err;
  }
}

/** The background job behind "Sync users" and the daily sync. */
export function directoryJobHandlers(deps: DirectorySyncDeps): Record<string, JobHandler> {
  return {
    [DIRECTORY_SYNC_JOB]: async (job, ctx) => {
      const payload = job.payload as Partial<DirectorySyncPayload> | null;
      if (!job.tenantId || typeof payload?.connectionId !== 'string') {
        throw new Error('A directory sync job needs a tenant and a connection id');
      }
      return runDirectorySync(deps, { tenantId: job.tenantId, connectionId: payload.connectionId }, ctx);
    },
  };
}
