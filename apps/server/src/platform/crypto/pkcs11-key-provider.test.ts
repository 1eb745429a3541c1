import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsmToken, type SoftHsmToken, softHsmAvailable } from '../../../../../test/support/softhsm';
import { destroyKeks, kekLabel } from './keks';
import { KeyProviderError } from './key-provider';
import { createPkcs11KeyProvider, KEK_LABEL_PREFIX, openTokenSession } from './pkcs11-key-provider';

const expectProviderError = async (promise: Promise<unknown>, code: KeyProviderError['code']) => {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(KeyProviderError);
  expect((error as KeyProviderError).code).toBe(code);
  return error as KeyProviderError;
};

describe.runIf(softHsmAvailable())('PKCS#11 key provider (SoftHSM2)', () => {
  let token: SoftHsmToken;
  beforeAll(() => {
    token = createSoftHsmToken();
  });
  afterAll(() => token?.cleanup());

  it("SEC-10: a tenant's KEK is generated inside the token as sensitive and non-extractable", async () => {
    const provider = createPkcs11KeyProvider(token);
    const label = kekLabel('tenant', randomUUID());
    await provider.createKek(label);
    const inspector = openTokenSession(token);
    try {
      const { pkcs11, constants: p11, session } = inspector;
      pkcs11.C_FindObjectsInit(session, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
        { type: p11.CKA_LABEL, value: `${KEK_LABEL_PREFIX}${label}` },
      ]);
      const found = pkcs11.C_FindObjects(session, 10);
      pkcs11.C_FindObjectsFinal(session);
      expect(found).toHaveLength(1);
      const kek = found[0];
      if (!kek) throw new Error(`KEK ${label} not found on the token`);
      const attributes = pkcs11.C_GetAttributeValue(session, kek, [
        { type: p11.CKA_EXTRACTABLE },
        { type: p11.CKA_SENSITIVE },
        { type: p11.CKA_TOKEN },
        { type: p11.CKA_NEVER_EXTRACTABLE },
        { type: p11.CKA_WRAP },
        { type: p11.CKA_UNWRAP },
      ]);
      expect(attributes.map((a) => a.value.readUInt8(0))).toEqual([0, 1, 1, 1, 1, 1]);
      expect(() => pkcs11.C_GetAttributeValue(session, kek, [{ type: p11.CKA_VALUE }])).toThrow();

      // A key that may wrap, used to try to take the KEK out of the token.
      const wrapping = pkcs11.C_GenerateKey(session, { mechanism: p11.CKM_AES_KEY_GEN }, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
        { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
        { type: p11.CKA_VALUE_LEN, value: 32 },
        { type: p11.CKA_TOKEN, value: false },
        { type: p11.CKA_WRAP, value: true },
      ]);
      let refusal: unknown;
      try {
        pkcs11.C_WrapKey(session, { mechanism: p11.CKM_AES_KEY_WRAP_PAD }, wrapping, kek, Buffer.alloc(128));
      } catch (err) {
        refusal = err;
      }
      expect((refusal as { code?: number } | undefined)?.code).toBe(p11.CKR_KEY_UNEXTRACTABLE);
    } finally {
      inspector.close();
      await provider.close();
    }
  });

  it('SEC-12: when two nodes generated a KEK under one label, keys wrapped by either unwrap, and shredding removes both', async () => {
    const provider = createPkcs11KeyProvider(token);
    const owner = randomUUID();
    const label = kekLabel('tenant', owner);
    const id = await provider.createKek(label);
    const inspector = openTokenSession(token);
    try {
      const { pkcs11, constants: p11, session } = inspector;
      const twinObjectId = randomBytes(16);
      pkcs11.C_GenerateKey(session, { mechanism: p11.CKM_AES_KEY_GEN }, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
        { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
        { type: p11.CKA_VALUE_LEN, value: 32 },
        { type: p11.CKA_LABEL, value: `${KEK_LABEL_PREFIX}${label}` },
        { type: p11.CKA_ID, value: twinObjectId },
        { type: p11.CKA_TOKEN, value: true },
        { type: p11.CKA_PRIVATE, value: true },
        { type: p11.CKA_SENSITIVE, value: true },
        { type: p11.CKA_EXTRACTABLE, value: false },
        { type: p11.CKA_WRAP, value: true },
        { type: p11.CKA_UNWRAP, value: true },
      ]);
      const twinId = `${label}@${twinObjectId.toString('hex')}`;
      const dataKey = randomBytes(32);
      const byTwin = await provider.wrapKey(twinId, dataKey);
      const byProvider = await provider.wrapKey(id, dataKey);
      expect((await provider.unwrapKey(twinId, byTwin)).equals(dataKey)).toBe(true);
      expect((await provider.unwrapKey(id, byProvider)).equals(dataKey)).toBe(true);
      // Every node agrees on which one createKek answers.
      const again = await provider.createKek(label);
      expect([id, twinId]).toContain(again);
      expect(await provider.createKek(label)).toBe(again);

      // The database knows one of them; shredding the tenant destroys both.
      await destroyKeks(provider, 'tenant', owner, { known: [id] });
      expect(await provider.findKek(label)).toBeUndefined();
      await expectProviderError(provider.unwrapKey(twinId, byTwin), 'unknown_kek');
      pkcs11.C_FindObjectsInit(session, [{ type: p11.CKA_LABEL, value: `${KEK_LABEL_PREFIX}${label}` }]);
      expect(pkcs11.C_FindObjects(session, 10)).toHaveLength(0);
      pkcs11.C_FindObjectsFinal(session);
    } finally {
      inspector.close();
      await provider.close();
    }
  });

  it('SEC-10: a wrong PIN or token label is refused without starting', async () => {
    const wrongPin = createPkcs11KeyProvider({ ...token, pin: '9999' });
    const error = await expectProviderError(wrongPin.ping(), 'refused');
    expect(error.message).not.toContain('9999');
    await wrongPin.close();
    const wrongLabel = createPkcs11KeyProvider({ ...token, tokenLabel: 'no-such-token' });
    await expectProviderError(wrongLabel.ping(), 'provider_unavailable');
    await wrongLabel.close();
  });
});
