import { z } from 'zod';
import type { VerifiedIdentity } from '../../platform/auth/relying-party/types';

/** An identity provider an organization accepts people from (SEC-4: a tenant accepts only these). */
export const acceptedProviderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dev') }),
  z.object({ kind: z.literal('entra'), tenantIds: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal('google'), domains: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal('oidc'), issuer: z.string() }),
  z.object({ kind: z.literal('microsoft-account') }),
]);
export type AcceptedProvider = z.infer<typeof acceptedProviderSchema>;
export const acceptedProvidersSchema = z.array(acceptedProviderSchema);

/** The directory a person belongs to, as far as their identity tells: Entra tid or Google hd. */
export function directoryOf(identity: Pick<VerifiedIdentity, 'providerKind' | 'tenantId' | 'hostedDomain'>) {
  if (identity.providerKind === 'entra') return identity.tenantId?.toLowerCase() ?? null;
  if (identity.providerKind === 'google') return identity.hostedDomain?.toLowerCase() ?? null;
  return null;
}

export interface KnownIdentity {
  providerKind: string;
  issuer: string;
  directory: string | null;
}

/** Does the organization accept this person's identity provider at all (for members and invitations)? */
export function acceptsProvider(accepted: readonly AcceptedProvider[], who: KnownIdentity): boolean {
  return accepted.some((a) => acceptedBy(a, who));
}

function acceptedBy(a: AcceptedProvider, who: KnownIdentity): boolean {
  if (a.kind === 'entra')
    return who.providerKind === 'entra' && who.directory !== null && a.tenantIds.includes(who.directory);
  if (a.kind === 'google')
    return who.providerKind === 'google' && who.directory !== null && a.domains.includes(who.directory);
  if (a.kind === 'oidc') return who.providerKind === 'oidc' && who.issuer === a.issuer;
  return who.providerKind === a.kind;
}

/**
 * Is the person in the organization's directory, and so one of its employees (SPEC section 1)?
 * A personal Microsoft account belongs to no directory: such people need an invitation.
 */
export function acceptsAsEmployee(accepted: readonly AcceptedProvider[], who: KnownIdentity): boolean {
  return who.providerKind !== 'microsoft-account' && acceptsProvider(accepted, who);
}

/**
 * What a new organization accepts: the provider its founder signed in with, limited to their
 * directory. A founder without a directory (a personal account) starts with none: invitations only.
 */
export function acceptedFromIdentity(who: KnownIdentity): AcceptedProvider[] {
  switch (who.providerKind) {
    case 'entra':
      return who.directory ? [{ kind: 'entra', tenantIds: [who.directory] }] : [];
    case 'google':
      return who.directory ? [{ kind: 'google', domains: [who.directory] }] : [];
    case 'oidc':
      return [{ kind: 'oidc', issuer: who.issuer }];
    case 'dev':
      return [{ kind: 'dev' }];
    default:
      return [];
  }
}
