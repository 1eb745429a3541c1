import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKeyVault, startFakeKeyVault } from '../../../../../test/fakes/azure-keyvault';
import { ManualClock } from '../clock';
import { type AzureAuth, createAzureKeyVaultKeyProvider } from './azure-keyvault-key-provider';
import { kekLabel } from './keks';
import { type KeyProvider, KeyProviderError } from './key-provider';
import { createKeyProvider } from './key-provider-factory';

const clock = new ManualClock();

const expectProviderError = async (promise: Promise<unknown>, code: KeyProviderError['code']) => {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(KeyProviderError);
  expect((error as KeyProviderError).code).toBe(code);
  return error as KeyProviderError;
};

describe('Azure Key Vault key provider (protocol fake)', () => {
  let fake: FakeKeyVault;
  const providers: KeyProvider[] = [];
  const open = (auth: AzureAuth, extra: { ca?: string; vaultUrl?: string; clock?: ManualClock } = {}) => {
    const provider = createAzureKeyVaultKeyProvider({
      vaultUrl: extra.vaultUrl ?? fake.url,
      auth,
      ca: 'ca' in extra ? extra.ca : fake.caPem,
      clock: extra.clock ?? clock,
    });
    providers.push(provider);
    return provider;
  };
  const clientCredentials = (secret = fake.clientSecret): AzureAuth => ({
    kind: 'client-credentials',
    tenantId: fake.tenantId,
    clientId: fake.clientId,
    clientSecret: secret,
    authorityUrl: fake.url,
  });

  beforeAll(async () => {
    fake = await startFakeKeyVault();
  });
  afterAll(async () => {
    for (const provider of providers) await provider.close();
    await fake?.close();
  });

  it('SEC-10: a wrong client secret is refused with a KeyProviderError that does not echo it', async () => {
    const error = await expectProviderError(open(clientCredentials('not-the-secret')).ping(), 'refused');
    expect(error.message).toMatch(/invalid_client/);
    expect(error.message).not.toContain('not-the-secret');
  });

  it('SEC-10: the access token is cached until shortly before it expires, and renewed after a 401', async () => {
    const ownClock = new ManualClock();
    const provider = open(clientCredentials(), { clock: ownClock });
    const before = fake.tokensIssued;
    const label = kekLabel('tenant', randomUUID());
    const id = await provider.createKek(label);
    const wrapped = await provider.wrapKey(id, randomBytes(32));
    await provider.unwrapKey(id, wrapped);
    expect(fake.tokensIssued).toBe(before + 1);
    ownClock.advance(56 * 60 * 1000);
    await provider.ping();
    expect(fake.tokensIssued).toBe(before + 2);
    fake.revokeTokens();
    expect(await provider.findKek(label)).toBe(id);
    expect(fake.tokensIssued).toBe(before + 3);
  });

  it('SEC-10: a managed identity token comes from IDENTITY_ENDPOINT with X-IDENTITY-HEADER', async () => {
    const provider = open({
      kind: 'managed-identity',
      endpoint: fake.identityEndpoint,
      header: fake.identityHeader,
    });
    const id = await provider.createKek(kekLabel('tenant', randomUUID()));
    const dataKey = randomBytes(32);
    expect((await provider.unwrapKey(id, await provider.wrapKey(id, dataKey))).equals(dataKey)).toBe(true);
    const impostor = open({ kind: 'managed-identity', endpoint: fake.identityEndpoint, header: 'wrong' });
    await expectProviderError(impostor.ping(), 'refused');
  });

  it('SEC-10: only https vaults are used, their certificate is verified, and ids naming another vault or path are unknown', async () => {
    expect(() => open(clientCredentials(), { vaultUrl: fake.url.replace('https:', 'http:') })).toThrow(
      /must be an https:\/\/ URL/,
    );
    await expectProviderError(open(clientCredentials(), { ca: undefined }).ping(), 'provider_unavailable');
    const provider = open(clientCredentials());
    const label = kekLabel('tenant', randomUUID());
    const id = await provider.createKek(label);
    const wrapped = await provider.wrapKey(id, randomBytes(32));
    const version = id.slice(id.indexOf('@') + 1);
    for (const elsewhere of [
      `https://attacker.example/keys/kek-${label.replaceAll(':', '-')}/${version}`,
      `${label}@${version}/../../secrets/database-url`,
    ]) {
      await expectProviderError(provider.unwrapKey(elsewhere, wrapped), 'unknown_kek');
    }
  });

  it('SEC-12: a KEK is one Key Vault key named from its label; destroying it deletes and purges that key', async () => {
    const provider = open(clientCredentials());
    const owner = randomUUID();
    const first = await provider.createKek(kekLabel('organization', owner));
    const second = await provider.createKek(kekLabel('organization', owner, 2));
    expect(fake.keyState(`kek-organization-${owner}`)).toBe('active');
    expect(fake.keyState(`kek-organization-${owner}-v2`)).toBe('active');
    const wrapped = await provider.wrapKey(first, randomBytes(32));

    await provider.destroyKek(first);
    expect(fake.keyState(`kek-organization-${owner}`)).toBeUndefined();
    await expectProviderError(provider.unwrapKey(first, wrapped), 'unknown_kek');
    expect(fake.keyState(`kek-organization-${owner}-v2`)).toBe('active');
    await expect(
      provider.unwrapKey(second, await provider.wrapKey(second, randomBytes(32))),
    ).resolves.toHaveLength(32);
  });

  it('SEC-10: the factory refuses an unreadable AZURE_KEYVAULT_CA_FILE', () => {
    expect(() =>
      createKeyProvider(
        {
          kind: 'azure-keyvault',
          vaultUrl: fake.url,
          keyName: 'thestorage-master',
          auth: clientCredentials(),
          caFile: path.join(os.tmpdir(), `missing-${randomBytes(4).toString('hex')}.pem`),
        },
        { clock },
      ),
    ).toThrow(/AZURE_KEYVAULT_CA_FILE: cannot read .*ENOENT/);
  });
});
