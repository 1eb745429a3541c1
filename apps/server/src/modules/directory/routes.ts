import {
  type DirectoryConnection,
  directoryConnectionSchema,
  directorySyncStartedSchema,
  ErrorCode,
  employeeSearchQuerySchema,
  employeesSchema,
  employeesSummarySchema,
  myEmployeeSchema,
  putDirectoryConnectionRequestSchema,
  resolvedEmployeesSchema,
  resolveEmployeesRequestSchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FieldChange } from '../../platform/audit-store/event';
import { assertPublicHttpsUrl } from '../../platform/auth/issuer-url-guard';
import type { Clock } from '../../platform/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import type { LinkKeys } from '../../platform/crypto/link-keys';
import { isUniqueViolation } from '../../platform/db/errors';
import type { DirectoryConnectionRow, TenantRow } from '../../platform/db/schema';
import { actorOf, requirePermission } from '../../platform/http/access';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import { acceptsAsEmployee } from '../auth/accepted-providers';
import { assertMayUse } from '../tenants/plans';
import type { DirectoryCache } from './cache/directory-cache';
import { parseServiceAccountKey } from './google/service-account-key';
import { resolvedEmployee } from './resolved-employee';
import { credentialSecretName } from './sync/connections-repo';
import {
  configuredBaseUrls,
  type DirectoryAddressPolicy,
  mayReachPrivateAddresses,
} from './sync/connector-factory';

export interface DirectoryRouteDeps {
  repos: Repos;
  clock: Clock;
  keyring: Keyring;
  directoryCache: DirectoryCache;
  linkKeys: LinkKeys;
  /** Which addresses a connection may reach; public only unless the server says otherwise. */
  addresses?: DirectoryAddressPolicy;
}

/**
 * The base URLs an Administrator typed must be public https addresses (the sync job re-checks every
 * address it connects to): no tenant may point the server at its internal network.
 */
async function assertReachable(
  policy: DirectoryAddressPolicy | undefined,
  kind: 'entra' | 'google',
  settings: Record<string, string>,
): Promise<void> {
  if (mayReachPrivateAddresses(policy, kind, settings)) return;
  for (const url of configuredBaseUrls(kind, settings)) await assertPublicHttpsUrl(url);
}

/** In the audit trail a credential is a marker, never its value. */
const CREDENTIAL_MARKER = '[credential replaced]';

const view = (row: DirectoryConnectionRow): DirectoryConnection => ({
  id: String(row.id),
  kind: row.kind,
  settings: JSON.parse(row.settings),
  status: row.status,
  lastSyncAt: row.last_sync_at,
  lastSuccessAt: row.last_success_at,
  lastCount: row.last_count === null ? null : Number(row.last_count),
  lastError:
    row.status === 'failing' && row.last_error_code
      ? { code: row.last_error_code, message: row.last_error_message ?? '' }
      : null,
  syncTime: row.sync_time,
  syncTimeZone: row.sync_time_zone,
  updatedAt: row.updated_at,
  version: Number(row.version),
});

const auditActor = (actor: Actor) => ({ id: actor.userId, email: actor.email, name: actor.name });

function assertDirectorySync(tenant: TenantRow | undefined, now: Date): void {
  if (!tenant) throw notFound('Tenant');
  assertMayUse(
    { plan: tenant.plan, trialEndsAt: tenant.trial_ends_at, cancelledAt: tenant.cancelled_at },
    'directory_sync',
    now,
  );
}

/** Field-by-field changes of the non-secret settings, plus a marker for the credential. */
function settingsChanges(
  before: DirectoryConnectionRow | undefined,
  after: DirectoryConnectionRow,
): FieldChange[] {
  const old: Record<string, string> = before ? JSON.parse(before.settings) : {};
  const now: Record<string, string> = JSON.parse(after.settings);
  const changes: FieldChange[] = [];
  if (before?.kind !== after.kind)
    changes.push({ field: 'kind', before: before?.kind ?? null, after: after.kind });
  for (const field of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
    if (old[field] !== now[field])
      changes.push({ field: `settings.${field}`, before: old[field] ?? null, after: now[field] ?? null });
  }
  for (const [field, from, to] of [
    ['syncTime', before?.sync_time, after.sync_time],
    ['syncTimeZone', before?.sync_time_zone, after.sync_time_zone],
  ] as const)
    if (from !== to) changes.push({ field, before: from ?? null, after: to });
  changes.push({ field: 'credential', before: before ? CREDENTIAL_MARKER : null, after: CREDENTIAL_MARKER });
  return changes;
}

function validTimeZone(zone: string | undefined): void {
  if (zone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new AppError(ErrorCode.ValidationFailed, 'Unknown time zone', {
      details: { field: 'syncTimeZone' },
    });
  }
}

/** Directory connection (DIR-1/DIR-2/DIR-3) and the employees it brings (SEC-5/SEC-6). */
export function registerDirectoryRoutes(api: FastifyInstance, deps: DirectoryRouteDeps) {
  const typed = api.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/directory/connection',
    {
      preHandler: requirePermission('directory.read'),
      schema: {
        tags: ['directory'],
        summary: "The organization's directory connection: status, last sync, count and last error",
        response: { 200: directoryConnectionSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const row = await deps.repos
        .forTenant(actor.tenantId)
        .transaction((r) => r.directoryConnections.forOrganization(actor.organizationId));
      if (!row) throw notFound('Directory connection');
      return view(row);
    },
  );

  typed.put(
    '/directory/connection',
    {
      preHandler: requirePermission('directory.write'),
      schema: {
        tags: ['directory'],
        summary: 'Connect Microsoft Entra ID or Google Workspace (replaces the current connection)',
        body: putDirectoryConnectionRequestSchema,
        response: { 200: directoryConnectionSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const body = request.body;
      validTimeZone(body.syncTimeZone);
      // Refused before anything is stored; the parse errors never repeat the key.
      if (body.kind === 'google') parseServiceAccountKey(body.credential);
      const settings = Object.fromEntries(
        Object.entries(body.settings).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      await assertReachable(deps.addresses, body.kind, settings);
      try {
        const row = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
          assertDirectorySync(await r.tenant.get(), now);
          // One source of employees: a full sync would replace the people a SCIM client pushed.
          if (await r.scimTokens.get()) {
            throw new AppError(
              ErrorCode.Conflict,
              'Turn off SCIM provisioning before connecting a directory',
            );
          }
          const { before, after } = await r.directoryConnections.save(
            {
              organizationId: actor.organizationId,
              kind: body.kind,
              settings,
              syncTime: body.syncTime,
              syncTimeZone: body.syncTimeZone,
            },
            now,
          );
          await r.secrets.put(deps.keyring, credentialSecretName(String(after.id)), body.credential, now);
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: before ? 'directory.connection_replaced' : 'directory.connected',
            target: { type: 'directory_connection', id: String(after.id) },
            changes: settingsChanges(before, after),
            requestId: request.id,
          });
          return after;
        });
        return view(row);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new AppError(
            ErrorCode.Conflict,
            "The organization's directory is already connected from another tenant",
          );
        }
        throw err;
      }
    },
  );

  typed.delete(
    '/directory/connection',
    {
      preHandler: requirePermission('directory.write'),
      schema: {
        tags: ['directory'],
        summary: 'Disconnect: refreshes stop and cached names expire 14 days after the last sync',
        response: { 200: directoryConnectionSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const row = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const before = await r.directoryConnections.forOrganization(actor.organizationId);
        if (!before) throw notFound('Directory connection');
        const after = await r.directoryConnections.disconnect(String(before.id), now);
        if (!after) throw notFound('Directory connection');
        const hadCredential = await r.secrets.remove(credentialSecretName(String(before.id)));
        await r.audit.record({
          occurredAt: now,
          actor: auditActor(actor),
          action: 'directory.disconnected',
          target: { type: 'directory_connection', id: String(before.id) },
          changes: [
            { field: 'status', before: before.status, after: after.status },
            { field: 'credential', before: hadCredential ? CREDENTIAL_MARKER : null, after: null },
          ],
          requestId: request.id,
        });
        return after;
      });
      return view(row);
    },
  );

  typed.post(
    '/directory/sync',
    {
      preHandler: requirePermission('directory.write'),
      schema: {
        tags: ['directory'],
        summary: '"Sync users": reads the directory now, in a background job with progress',
        response: { 200: directorySyncStartedSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const jobId = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        assertDirectorySync(await r.tenant.get(), now);
        const connection = await r.directoryConnections.forOrganization(actor.organizationId);
        if (!connection) throw notFound('Directory connection');
        if (connection.status === 'disconnected') {
          throw new AppError(ErrorCode.Conflict, 'The directory is disconnected: connect it again first');
        }
        return r.directoryConnections.enqueueSync(String(connection.id), deps.clock);
      });
      return { jobId };
    },
  );

  typed.post(
    '/employees/resolve',
    {
      preHandler: requirePermission('employees.read'),
      schema: {
        tags: ['employees'],
        summary: 'Names for employee references, from the 14-day cache; "Unknown employee" once forgotten',
        body: resolveEmployeesRequestSchema,
        response: { 200: resolvedEmployeesSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { references } = request.body;
      const known = await deps.directoryCache.lookup(actor.organizationId, references);
      return { employees: references.map((reference) => resolvedEmployee(reference, known.get(reference))) };
    },
  );

  typed.get(
    '/me/employee',
    {
      preHandler: requirePermission('self.read'),
      schema: {
        tags: ['employees'],
        summary: 'The signed-in person as an employee of this organization (from their sign-in identity)',
        response: { 200: myEmployeeSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const found = await deps.repos.system.transaction(async (r) => {
        const user = await r.identity.getUser(actor.userId);
        if (!user?.employee_identity) return undefined;
        const { accepted } = await r.identity.acceptedBy(actor.organizationId);
        const who = { providerKind: user.provider_kind, issuer: user.issuer, directory: user.directory };
        return acceptsAsEmployee(accepted, who) ? user.employee_identity : undefined;
      });
      if (!found) return { employee: null };
      // The same HMAC a directory sync computes for this person (SEC-6): that is how they are found.
      const [reference] = await deps.repos
        .forTenant(actor.tenantId)
        .transaction((r) =>
          r.directoryConnections.employeeReferences(deps.linkKeys, actor.organizationId, [found]),
        );
      const known = await deps.directoryCache.lookup(actor.organizationId, [reference!]);
      return { employee: resolvedEmployee(reference!, known.get(reference!)) };
    },
  );

  typed.get(
    '/employees',
    {
      preHandler: requirePermission('employees.read'),
      schema: {
        tags: ['employees'],
        summary:
          'The assign picker: employees whose name, e-mail or user name matches (3 characters or more)',
        querystring: employeeSearchQuerySchema,
        response: { 200: employeesSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const found = await deps.directoryCache.search(
        actor.organizationId,
        request.query.search,
        request.query.limit,
      );
      const counts = await deps.repos
        .forTenant(actor.tenantId)
        .transaction((r) => r.devices.countsByEmployee(found.map((e) => e.reference)));
      return {
        employees: found.map(({ reference, person }) => ({
          reference,
          displayName: person.displayName,
          userName: person.userName,
          jobTitle: person.jobTitle,
          active: person.active,
          deviceCount: counts.get(reference) ?? 0,
        })),
      };
    },
  );

  typed.get(
    '/employees/summary',
    {
      preHandler: requirePermission('employees.read'),
      schema: {
        tags: ['employees'],
        summary: 'How many employees the cache knows, since when, and the directory connection status',
        response: { 200: employeesSummarySchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const [count, lastRefreshedAt, connection] = await Promise.all([
        deps.directoryCache.count(actor.organizationId),
        deps.directoryCache.lastRefreshedAt(actor.organizationId),
        deps.repos
          .forTenant(actor.tenantId)
          .transaction((r) => r.directoryConnections.forOrganization(actor.organizationId)),
      ]);
      return {
        count,
        lastRefreshedAt: lastRefreshedAt?.toISOString() ?? null,
        connectionStatus: connection?.status ?? null,
      };
    },
  );
}
