import type { Kysely } from 'kysely';
import { recordAuditEvent } from '../../platform/audit-store/outbox';
import { showsMfa } from '../../platform/auth/relying-party/mfa';
import { SignInError } from '../../platform/auth/relying-party/sign-in-error';
import type { VerifiedIdentity } from '../../platform/auth/relying-party/types';
import type { DatabaseHandle } from '../../platform/db/connect';
import type { DB } from '../../platform/db/schema';
import { withSystem } from '../../platform/db/tenant-scope';
import {
  type AcceptedProvider,
  acceptsAsEmployee,
  acceptsProvider,
  type KnownIdentity,
} from './accepted-providers';
import { accessibleTenants, invitationRef, type TenantAccess, userRef } from './access';
import { identityRepo } from './identity-repo';

export interface SignedIn {
  userId: string;
  email: string | null;
  isPlatformAdmin: boolean;
  /** Organizations whose directory the person is in (employee access); fixed for the session. */
  employeeOrganizationIds: string[];
  tenants: TenantAccess[];
}

export interface SignInRules {
  /** `issuer|subject` of the platform administrators (SPEC: configured by issuer + subject). */
  platformAdmins: () => readonly string[];
}

const knownIdentityOf = (identity: VerifiedIdentity, directory: string | null): KnownIdentity => ({
  providerKind: identity.providerKind,
  issuer: identity.issuer,
  directory,
});

/**
 * A pending invitation is accepted by the first sign-in with its address at a provider the
 * organization accepts. Providers that do not verify addresses (Entra's UPN) count only for the
 * organization's own directory, which vouches for them.
 */
function mayAcceptInvitation(
  identity: VerifiedIdentity,
  accepted: readonly AcceptedProvider[],
  who: KnownIdentity,
) {
  if (!acceptsProvider(accepted, who)) return false;
  return identity.emailVerified || who.providerKind === 'entra';
}

async function acceptInvitations(
  db: Kysely<DB>,
  identity: VerifiedIdentity,
  who: KnownIdentity,
  userId: string,
  now: Date,
): Promise<void> {
  if (!identity.email) return;
  const pending = await db
    .selectFrom('memberships')
    .selectAll()
    .where('subject_ref', '=', invitationRef(identity.email))
    .where('status', '=', 'pending')
    .execute();
  const repo = identityRepo(db);
  for (const invitation of pending) {
    const { accepted } = await repo.acceptedBy(String(invitation.organization_id));
    if (!mayAcceptInvitation(identity, accepted, who)) continue;
    await db
      .updateTable('memberships')
      .set({
        subject_ref: userRef(userId),
        status: 'registered',
        updated_at: now.toISOString(),
        version: invitation.version + 1,
      })
      .where('id', '=', invitation.id)
      .execute();
    await recordAuditEvent(db, {
      tenantId: String(invitation.tenant_id),
      occurredAt: now,
      actor: { id: userId, email: identity.email, name: identity.name ?? identity.email },
      action: 'membership.registered',
      target: { type: 'membership', id: String(invitation.id) },
      changes: [{ field: 'status', before: 'pending', after: 'registered' }],
      requestId: null,
    });
  }
}

/**
 * After the provider has proven who this is: the user row, accepted invitations, employee access,
 * platform administration and the organizations' MFA rules. Throws SignInError to refuse.
 */
export async function completeSignIn(
  handle: DatabaseHandle,
  identity: VerifiedIdentity,
  rules: SignInRules,
  now: Date,
): Promise<SignedIn> {
  return withSystem(handle, async (db) => {
    const repo = identityRepo(db);
    const user = await repo.upsertUser(identity, now);
    if (user.disabled_at) throw new SignInError('disabled');
    const who = knownIdentityOf(identity, user.directory);
    const mfa = showsMfa(identity.amr, identity.acr);

    const listedAdmin = rules.platformAdmins().includes(`${identity.issuer}|${identity.subject}`);
    if (listedAdmin && !mfa) {
      throw new SignInError('mfa_required', {
        message: 'Platform administrators must sign in with multi-factor authentication',
      });
    }

    await acceptInvitations(db, identity, who, String(user.id), now);

    const organizationRules = await repo.allSignInRules();
    const employeeOrganizationIds = [...organizationRules]
      .filter(([, r]) => acceptsAsEmployee(r.accepted, who))
      .map(([id]) => id);
    const all = await accessibleTenants(db, String(user.id), employeeOrganizationIds);
    // An organization that requires MFA does not let a sign-in without it into its tenants.
    const tenants = all.filter((t) => mfa || !organizationRules.get(t.organizationId)?.requireMfa);
    if (all.length > 0 && tenants.length === 0 && !listedAdmin) {
      throw new SignInError('mfa_required', {
        message: 'Your organization requires multi-factor authentication',
      });
    }
    return {
      userId: String(user.id),
      email: user.email,
      isPlatformAdmin: listedAdmin,
      employeeOrganizationIds: employeeOrganizationIds.filter((id) =>
        tenants.some((t) => t.organizationId === id),
      ),
      tenants,
    };
  });
}
