import type { SignInProvider } from '@thestorage/contracts';
import type { ProviderSettings } from '../../platform/auth/relying-party/provider-presets';
import { createRelyingParty, type RelyingParty } from '../../platform/auth/relying-party/relying-party';
import type { SignInStateStore } from '../../platform/auth/relying-party/state-store';

export interface SignInProviderConfig {
  id: string;
  label: string;
  /** Which preset, and its issuer or allowed tenants/domains. */
  settings: ProviderSettings;
  clientId: string;
  clientSecret: () => string | undefined;
  /** Extra CA to trust for this provider (the development provider runs on our own dev CA). */
  caPem?: string;
}

export interface SignInProviders {
  list(): SignInProvider[];
  relyingParty(id: string): RelyingParty | undefined;
}

/**
 * The ways to sign in this deployment offers. Relying parties are built on first use, once the
 * public origin is known (the embedded default may listen on a port chosen at start).
 */
export function createSignInProviders(deps: {
  providers: () => SignInProviderConfig[];
  publicOrigin: () => string;
  states: SignInStateStore;
}): SignInProviders {
  const built = new Map<string, RelyingParty>();
  return {
    list: () => deps.providers().map(({ id, settings, label }) => ({ id, kind: settings.kind, label })),
    relyingParty(id) {
      const existing = built.get(id);
      if (existing) return existing;
      const config = deps.providers().find((p) => p.id === id);
      if (!config) return undefined;
      const common = {
        clientId: config.clientId,
        clientSecret: config.clientSecret(),
        redirectUri: `${deps.publicOrigin()}/auth/callback/${config.id}`,
        states: deps.states,
        caPem: config.caPem,
      };
      const rp = createRelyingParty({ ...config.settings, ...common });
      built.set(id, rp);
      return rp;
    },
  };
}
