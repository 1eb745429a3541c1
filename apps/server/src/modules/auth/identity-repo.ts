import type { Kysely } from 'kysely';
import type { VerifiedIdentity } from '../../platform/auth/relying-party/types';
import { newId } from '../../platform/db/ids';
import type { DB, UserRow } from '../../platform/db/schema';
import { type AcceptedProvider, acceptedProvidersSchema, directoryOf } from './accepted-providers';

/** People and organizations' sign-in rules: platform-level rows, used in the system scope only. */
export const identityRepo = (db: Kysely<DB>) => ({
  /** The user for this issuer + subject, created on first sign-in; the e-mail follows the provider. */
  async upsertUser(identity: VerifiedIdentity, now: Date): Promise<UserRow> {
    const at = now.toISOString();
    const email = identity.email?.trim().toLowerCase() || null;
    const directory = directoryOf(identity);
    const employeeIdentity = identity.employeeIdentity ?? null;
    await db
      .insertInto('users')
      .values({
        id: newId(),
        issuer: identity.issuer,
        subject: identity.subject,
        provider_kind: identity.providerKind,
        email,
        directory,
        employee_identity: employeeIdentity,
        created_at: at,
        last_sign_in_at: at,
        disabled_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['issuer', 'subject']).doUpdateSet({
          email,
          directory,
          employee_identity: employeeIdentity,
          last_sign_in_at: at,
        }),
      )
      .execute();
    return db
      .selectFrom('users')
      .selectAll()
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .executeTakeFirstOrThrow();
  },

  getUser(id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async acceptedBy(organizationId: string): Promise<{ accepted: AcceptedProvider[]; requireMfa: boolean }> {
    const row = await db
      .selectFrom('organization_sign_in')
      .select(['accepted', 'require_mfa'])
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    if (!row) return { accepted: [], requireMfa: false };
    return {
      accepted: acceptedProvidersSchema.parse(JSON.parse(row.accepted)),
      requireMfa: row.require_mfa === 1,
    };
  },

  async allSignInRules(): Promise<Map<string, { accepted: AcceptedProvider[]; requireMfa: boolean }>> {
    const rows = await db
      .selectFrom('organization_sign_in')
      .select(['organization_id', 'accepted', 'require_mfa'])
      .execute();
    return new Map(
      rows.map((r) => [
        r.organization_id,
        { accepted: acceptedProvidersSchema.parse(JSON.parse(r.accepted)), requireMfa: r.require_mfa === 1 },
      ]),
    );
  },

  async setSignInRules(organizationId: string, accepted: AcceptedProvider[], requireMfa: boolean, now: Date) {
    const values = {
      accepted: JSON.stringify(acceptedProvidersSchema.parse(accepted)),
      require_mfa: requireMfa ? 1 : 0,
      updated_at: now.toISOString(),
    };
    await db
      .insertInto('organization_sign_in')
      .values({ organization_id: organizationId, ...values })
      .onConflict((oc) => oc.column('organization_id').doUpdateSet(values))
      .execute();
  },

  /** A registered, global Administrator membership in the organization (adds tenants, sees them all). */
  async isGlobalAdministrator(subjectRef: string, organizationId: string): Promise<boolean> {
    const row = await db
      .selectFrom('memberships')
      .select('id')
      .where('subject_ref', '=', subjectRef)
      .where('organization_id', '=', organizationId)
      .where('role', '=', 'administrator')
      .where('is_global', '=', 1)
      .where('status', '=', 'registered')
      .executeTakeFirst();
    return row !== undefined;
  },
});
