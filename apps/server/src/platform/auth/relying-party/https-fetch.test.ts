import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOidcTestProvider,
  type OidcTestProvider,
} from '../../../../../../test/fakes/oidc-test-provider';
import { publicOnlyLookup } from '../issuer-url-guard';
import { createHttpsFetch } from './https-fetch';

let fake: OidcTestProvider;
beforeAll(async () => {
  fake = await createOidcTestProvider();
});
afterAll(async () => {
  await fake?.close();
});

describe('identity-provider calls', () => {
  it('SEC-3: reach a provider whose CA is named', async () => {
    const response = await createHttpsFetch({ caPem: fake.caPem })(
      `${fake.issuer}/.well-known/openid-configuration`,
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { issuer: string }).issuer).toBe(fake.issuer);
  });

  it('SEC-3: refuse a provider whose certificate is not from a trusted CA', async () => {
    await expect(createHttpsFetch()(`${fake.issuer}/.well-known/openid-configuration`)).rejects.toThrow(
      /self.signed|unable to verify|certificate/i,
    );
  });

  it('SEC-3: refuse plain http', async () => {
    await expect(createHttpsFetch()('http://127.0.0.1:1/')).rejects.toThrow(/non-HTTPS/);
  });

  it('SEC-3: with the public-only lookup, a host name resolving to loopback is not contacted', async () => {
    const port = new URL(fake.issuer).port;
    const guarded = createHttpsFetch({ caPem: fake.caPem, lookup: publicOnlyLookup() });
    await expect(guarded(`https://localhost:${port}/.well-known/openid-configuration`)).rejects.toThrow(
      /public address/,
    );
  });

  it('SEC-3: refuse an answer larger than the limit', async () => {
    const small = createHttpsFetch({ caPem: fake.caPem, maxResponseBytes: 64 });
    await expect(small(`${fake.issuer}/.well-known/openid-configuration`)).rejects.toThrow(
      /larger than 64 bytes/,
    );
  });
});
