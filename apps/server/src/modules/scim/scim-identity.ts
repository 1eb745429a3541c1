import type { AcceptedProvider } from '../auth/accepted-providers';
import type { ScimUserFields } from './scim-user';

/**
 * The directory identity a SCIM-pushed person's employee reference is computed from (SEC-6).
 * Entra provisioning sends the user's object id as `externalId` by default, so when the organization
 * accepts exactly one Entra tenant, `<tid>:<externalId>` is the identity the person's sign-in (and an
 * Entra directory sync) yields: their references match. Otherwise the identity is namespaced `scim:`
 * (never equal to a sync or sign-in identity), from `externalId` when sent, else the user name,
 * lower-cased — both stable in the provider, so a repeated create is recognised as the same person.
 */
export function scimIdentity(
  fields: Pick<ScimUserFields, 'externalId' | 'userName'>,
  accepted: readonly AcceptedProvider[],
): string {
  const entraTenants = accepted.flatMap((a) => (a.kind === 'entra' ? a.tenantIds : []));
  if (fields.externalId && entraTenants.length === 1)
    return `${entraTenants[0]!.toLowerCase()}:${fields.externalId.toLowerCase()}`;
  if (fields.externalId) return `scim:${fields.externalId}`;
  return `scim:userName:${fields.userName.toLowerCase()}`;
}
