import type { Transaction } from 'kysely';
import { accessibleTenants } from './modules/auth/access';
import { identityRepo } from './modules/auth/identity-repo';
import {
  categoriesRepo,
  inventorySettingsRepo,
  markDevicesChanged,
  placesRepo,
  tagsRepo,
  vendorsRepo,
} from './modules/catalog/repo';
import { abandonedImports, deviceImportsRepo } from './modules/devices/import/imports-repo';
import { devicesRepo } from './modules/devices/repo';
import { type DeviceTotals, deviceTotalsOf } from './modules/devices/totals-cache';
import { directoryConnectionsRepo } from './modules/directory/sync/connections-repo';
import { moneyRepo } from './modules/money/money-repo';
import { scimTokensRepo } from './modules/scim/scim-tokens-repo';
import { secretsRepo } from './modules/secrets/secrets-repo';
import { membershipsRepo } from './modules/tenants/memberships-repo';
import { organizationsRepo } from './modules/tenants/organizations-repo';
import { currentTenantRepo, tenantsRepo } from './modules/tenants/tenants-repo';
import type { NewAuditEvent } from './platform/audit-store/event';
import { recordAuditEvent, recordAuditEvents } from './platform/audit-store/outbox';
import type { DatabaseHandle, Dialect } from './platform/db/connect';
import { isUuid } from './platform/db/ids';
import type { DB } from './platform/db/schema';
import { withSystem, withTenant } from './platform/db/tenant-scope';
import { filesRepo } from './platform/files/files-repo';
import { getJob } from './platform/jobs/queue';

interface TenantScope {
  trx: Transaction<DB>;
  tenantId: string;
  dialect: Dialect;
  totals?: DeviceTotals;
}

/** Each tenant repository, made from the transaction it runs in. */
const TENANT_REPOS = {
  tenant: (s: TenantScope) => currentTenantRepo(s.trx, s.tenantId),
  memberships: (s: TenantScope) => membershipsRepo(s.trx, s.tenantId),
  jobs: (s: TenantScope) => ({ get: (id: string) => getJob(s.trx, s.tenantId, id) }),
  files: (s: TenantScope) => filesRepo(s.trx, s.tenantId),
  secrets: (s: TenantScope) => secretsRepo(s.trx, s.tenantId),
  directoryConnections: (s: TenantScope) => directoryConnectionsRepo(s.trx, s.tenantId),
  scimTokens: (s: TenantScope) => scimTokensRepo(s.trx, s.tenantId),
  categories: (s: TenantScope) => categoriesRepo(s.trx, s.tenantId),
  places: (s: TenantScope) => placesRepo(s.trx, s.tenantId),
  tags: (s: TenantScope) => tagsRepo(s.trx, s.tenantId),
  vendors: (s: TenantScope) => vendorsRepo(s.trx, s.tenantId),
  inventorySettings: (s: TenantScope) => inventorySettingsRepo(s.trx, s.tenantId),
  devices: (s: TenantScope) => devicesRepo(s.trx, s.tenantId, s.dialect, s.totals),
  deviceImports: (s: TenantScope) => deviceImportsRepo(s.trx, s.tenantId, s.dialect),
  money: (s: TenantScope) => moneyRepo(s.trx, s.tenantId),
  /** Every write records its event here, in the same transaction (SEC-7). */
  audit: ({ trx, tenantId }: TenantScope) => ({
    record: (event: Omit<NewAuditEvent, 'tenantId'>) => recordAuditEvent(trx, { ...event, tenantId }),
    recordMany: (events: readonly Omit<NewAuditEvent, 'tenantId'>[]) =>
      recordAuditEvents(
        trx,
        events.map((event) => ({ ...event, tenantId })),
      ),
  }),
};

/** Repositories already bound to one tenant: no query in them can forget the tenant filter. */
export type TenantRepos = { readonly [K in keyof typeof TENANT_REPOS]: ReturnType<(typeof TENANT_REPOS)[K]> };

/**
 * Tenant repositories are made on first use: a request uses two or three of them, and making all sixteen
 * (with their closures and query fragments) for every transaction cost ~35 µs of a list request. The
 * getters live on one prototype, made once; an instance holds its scope and what it has made.
 */
class LazyTenantRepos {
  readonly made: Partial<Record<keyof TenantRepos, unknown>> = {};
  constructor(readonly scope: TenantScope) {}
}
for (const [name, make] of Object.entries(TENANT_REPOS) as [
  keyof TenantRepos,
  (s: TenantScope) => unknown,
][]) {
  Object.defineProperty(LazyTenantRepos.prototype, name, {
    get(this: LazyTenantRepos) {
      if (!(name in this.made)) this.made[name] = make(this.scope);
      return this.made[name];
    },
  });
}

const tenantRepos = (trx: Transaction<DB>, tenantId: string, dialect: Dialect, totals?: DeviceTotals) =>
  new LazyTenantRepos({ trx, tenantId, dialect, totals }) as unknown as TenantRepos;

/** Platform-level repositories (organizations, tenants): platform code only, in the system scope. */
const systemRepos = (trx: Transaction<DB>, dialect: Dialect) => ({
  organizations: organizationsRepo(trx),
  tenants: tenantsRepo(trx),
  identity: identityRepo(trx),
  /** A tenant's memberships from platform code (sign-up, invitation acceptance). */
  membershipsOf: (tenantId: string) => membershipsRepo(trx, tenantId),
  /** Devices of any tenant: moving a device between two tenants of an organization (DEV-7). */
  devicesOf: (tenantId: string) => devicesRepo(trx, tenantId, dialect),
  /** DEV-9: raises the devices version of these tenants, in id order (a move takes both first). */
  markDevicesChanged: (tenantIds: readonly string[]) => markDevicesChanged(trx, tenantIds),
  /** Files of any tenant: a moved device's invoice and image go with it (DEV-7). */
  filesOf: (tenantId: string) => filesRepo(trx, tenantId),
  /** The tenants a user may open, with their role in each. */
  tenantsOfUser: (userId: string) => accessibleTenants(trx, userId, []),
  audit: { record: (event: NewAuditEvent) => recordAuditEvent(trx, event) },
  /** Imports of any tenant left with their file, not run (DEV-12: they expire after 14 days). */
  abandonedImports: abandonedImports(trx),
});

export type SystemRepos = ReturnType<typeof systemRepos>;

/** The one way services reach SQL: `repos.forTenant(id).transaction(r => ...)` is one unit of work. */
export function createRepos(handle: DatabaseHandle) {
  return {
    forTenant(tenantId: string) {
      if (!isUuid(tenantId)) throw new Error('Tenant repositories need a tenant id (UUID)');
      const id = tenantId.toLowerCase();
      return {
        transaction: <T>(fn: (repos: TenantRepos) => Promise<T>): Promise<T> =>
          withTenant(handle, id, (trx) => fn(tenantRepos(trx, id, handle.dialect, deviceTotalsOf(handle)))),
      };
    },
    system: {
      transaction: <T>(fn: (repos: SystemRepos) => Promise<T>): Promise<T> =>
        withSystem(handle, (trx) => fn(systemRepos(trx, handle.dialect))),
    },
  };
}

export type Repos = ReturnType<typeof createRepos>;
