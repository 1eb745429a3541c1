import type { Role } from '@thestorage/contracts';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../platform/db/connect';
import { queryTemplate } from '../../platform/db/query-template';
import type { DB } from '../../platform/db/schema';

export interface TenantAccess {
  id: string;
  slug: string;
  name: string;
  organizationId: string;
  organizationName: string;
  role: Role;
  /** A global membership gives this role (global Administrators add tenants and set sign-in rules). */
  isGlobal: boolean;
}

const RANK: Record<Role, number> = { employee: 0, viewer: 1, operator: 2, administrator: 3 };

/** How a registered membership names its person; a pending invitation names an e-mail instead. */
export const userRef = (userId: string) => `user:${userId}`;
export const invitationRef = (email: string) => `email:${email.trim().toLowerCase()}`;

/** The strongest of these memberships' roles, and Employee for a person in the directory; null for none. */
function strongestRole(memberships: readonly { role: string }[], isEmployee: boolean): Role | null {
  const roles: Role[] = memberships.map((m) => m.role as Role);
  if (isEmployee) roles.push('employee');
  return roles.reduce<Role | null>((best, r) => (best === null || RANK[r] > RANK[best] ? r : best), null);
}

/**
 * Every tenant a person may enter and their role there (system scope): their memberships, a global
 * role applied to every tenant of its organization, and employee access to the organizations whose
 * directory they are in. Where several apply, the strongest role wins.
 */
export async function accessibleTenants(
  db: Kysely<DB>,
  userId: string,
  employeeOrganizationIds: readonly string[],
): Promise<TenantAccess[]> {
  const memberships = await db
    .selectFrom('memberships')
    .select(['tenant_id', 'organization_id', 'role', 'is_global'])
    .where('subject_ref', '=', userRef(userId))
    .where('status', '=', 'registered')
    .execute();
  const organizationIds = [
    ...new Set([
      ...memberships.filter((m) => m.is_global === 1).map((m) => m.organization_id),
      ...employeeOrganizationIds,
    ]),
  ];
  const tenantIds = memberships.map((m) => m.tenant_id);
  if (tenantIds.length === 0 && organizationIds.length === 0) return [];

  const tenants = await db
    .selectFrom('tenants')
    .innerJoin('organizations', 'organizations.id', 'tenants.organization_id')
    .select([
      'tenants.id',
      'tenants.slug',
      'tenants.name',
      'tenants.organization_id',
      'organizations.name as organization_name',
    ])
    .where((eb) =>
      eb.or([
        ...(tenantIds.length ? [eb('tenants.id', 'in', tenantIds)] : []),
        ...(organizationIds.length ? [eb('tenants.organization_id', 'in', organizationIds)] : []),
      ]),
    )
    .execute();

  const roleIn = (tenantId: string, organizationId: string): Role | null =>
    strongestRole(
      memberships.filter(
        (m) => m.tenant_id === tenantId || (m.is_global === 1 && m.organization_id === organizationId),
      ),
      employeeOrganizationIds.includes(organizationId),
    );

  return tenants
    .flatMap((t) => {
      const role = roleIn(String(t.id), String(t.organization_id));
      return role
        ? [
            {
              id: String(t.id),
              slug: t.slug,
              name: t.name,
              organizationId: String(t.organization_id),
              organizationName: t.organization_name,
              role,
              isGlobal: memberships.some(
                (m) => m.is_global === 1 && m.organization_id === t.organization_id && m.role === role,
              ),
            },
          ]
        : [];
    })
    .sort((a, b) => a.organizationName.localeCompare(b.organizationName) || a.name.localeCompare(b.name));
}

/** The active tenant and the memberships that give a role there: one query of fixed shape per request. */
const tenantAccessQuery = queryTemplate((db, v: { subjectRef: string; tenantId: string }) =>
  db
    .selectFrom('tenants')
    .leftJoin('memberships', (join) =>
      join
        .on('memberships.subject_ref', '=', v.subjectRef)
        .on('memberships.status', '=', 'registered')
        .on((eb) =>
          eb.or([
            eb('memberships.tenant_id', '=', eb.ref('tenants.id')),
            eb.and([
              eb('memberships.is_global', '=', 1),
              eb('memberships.organization_id', '=', eb.ref('tenants.organization_id')),
            ]),
          ]),
        ),
    )
    .select(['tenants.id', 'tenants.organization_id', 'memberships.role'])
    .where('tenants.id', '=', v.tenantId),
);

/**
 * The one tenant a request acts in, and the person's role there (system scope): what `accessibleTenants`
 * says about that tenant, in one query, because every request asks it. Undefined when they may not enter it.
 */
export async function tenantAccessOf(
  db: Kysely<DB>,
  dialect: Dialect,
  userId: string,
  tenantId: string,
  employeeOrganizationIds: readonly string[],
): Promise<{ id: string; organizationId: string; role: Role } | undefined> {
  const rows = await tenantAccessQuery.execute(db, dialect, { subjectRef: userRef(userId), tenantId });
  const tenant = rows[0];
  // Ids compare as the stored text, as they do in the list of every accessible tenant.
  if (!tenant || String(tenant.id) !== tenantId) return undefined;
  const organizationId = String(tenant.organization_id);
  const role = strongestRole(
    rows.flatMap((row) => (row.role === null ? [] : [{ role: row.role }])),
    employeeOrganizationIds.includes(organizationId),
  );
  return role ? { id: String(tenant.id), organizationId, role } : undefined;
}
