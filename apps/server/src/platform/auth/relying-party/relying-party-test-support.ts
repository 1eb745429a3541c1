import type { OidcTestProvider } from '../../../../../../test/fakes/oidc-test-provider';
import type { ProviderSettings } from './provider-presets';
import { createRelyingParty, type RelyingParty, type RelyingPartyOptions } from './relying-party';
import { MemorySignInStateStore } from './state-store';

type Extra = Partial<Omit<RelyingPartyOptions, keyof ProviderSettings>>;

/** A relying party registered at the test provider, trusting its CA. */
export function relyingPartyAt(
  fake: OidcTestProvider,
  settings: ProviderSettings,
  extra: Extra = {},
): RelyingParty {
  return createRelyingParty({
    ...settings,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret ?? undefined,
    redirectUri: fake.redirectUri,
    states: new MemorySignInStateStore(),
    caPem: fake.caPem,
    ...extra,
  });
}
