import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsmToken, type SoftHsmToken, softHsmAvailable } from '../../../../../test/support/softhsm';
import { KeyProviderError } from './key-provider';
import { createPkcs11KeyProvider, openTokenSession } from './pkcs11-key-provider';

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

  it('SEC-10: the master key is generated inside the token as sensitive and non-extractable', async () => {
    const provider = createPkcs11KeyProvider(token);
    const id = await provider.activeMasterKeyId();
    const inspector = openTokenSession(token);
    try {
      const { pkcs11, constants: p11, session } = inspector;
      pkcs11.C_FindObjectsInit(session, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
        { type: p11.CKA_LABEL, value: id },
      ]);
      const [master] = pkcs11.C_FindObjects(session, 10);
      pkcs11.C_FindObjectsFinal(session);
      if (!master) throw new Error(`master key ${id} not found on the token`);
      const attributes = pkcs11.C_GetAttributeValue(session, master, [
        { type: p11.CKA_EXTRACTABLE },
        { type: p11.CKA_SENSITIVE },
        { type: p11.CKA_TOKEN },
        { type: p11.CKA_NEVER_EXTRACTABLE },
      ]);
      expect(attributes.map((a) => a.value.readUInt8(0))).toEqual([0, 1, 1, 1]);
      expect(() => pkcs11.C_GetAttributeValue(session, master, [{ type: p11.CKA_VALUE }])).toThrow();

      // A key that may wrap, used to try to take the master key out of the token.
      const wrapping = pkcs11.C_GenerateKey(session, { mechanism: p11.CKM_AES_KEY_GEN }, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
        { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
        { type: p11.CKA_VALUE_LEN, value: 32 },
        { type: p11.CKA_TOKEN, value: false },
        { type: p11.CKA_WRAP, value: true },
      ]);
      let refusal: unknown;
      try {
        pkcs11.C_WrapKey(
          session,
          { mechanism: p11.CKM_AES_KEY_WRAP_PAD },
          wrapping,
          master,
          Buffer.alloc(128),
        );
      } catch (err) {
        refusal = err;
      }
      expect((refusal as { code?: number } | undefined)?.code).toBe(p11.CKR_KEY_UNEXTRACTABLE);
    } finally {
      inspector.close();
      await provider.close();
    }
  });

  it('SEC-10: when two nodes generated a master key under one label, keys wrapped by either still unwrap', async () => {
    const provider = createPkcs11KeyProvider(token);
    const id = await provider.activeMasterKeyId();
    const inspector = openTokenSession(token);
    try {
      const { pkcs11, constants: p11, session } = inspector;
      const twin = pkcs11.C_GenerateKey(session, { mechanism: p11.CKM_AES_KEY_GEN }, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
        { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
        { type: p11.CKA_VALUE_LEN, value: 32 },
        { type: p11.CKA_LABEL, value: id },
        { type: p11.CKA_TOKEN, value: true },
        { type: p11.CKA_PRIVATE, value: true },
        { type: p11.CKA_SENSITIVE, value: true },
        { type: p11.CKA_EXTRACTABLE, value: false },
        { type: p11.CKA_WRAP, value: true },
        { type: p11.CKA_UNWRAP, value: true },
      ]);
      const dataKey = randomBytes(32);
      const dataKeyObject = pkcs11.C_CreateObject(session, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
        { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
        { type: p11.CKA_TOKEN, value: false },
        { type: p11.CKA_EXTRACTABLE, value: true },
        { type: p11.CKA_VALUE, value: dataKey },
      ]);
      const byTwin = Buffer.from(
        pkcs11.C_WrapKey(
          session,
          { mechanism: p11.CKM_AES_KEY_WRAP_PAD },
          twin,
          dataKeyObject,
          Buffer.alloc(64),
        ),
      );
      const byProvider = await provider.wrapKey(id, dataKey);
      expect((await provider.unwrapKey(id, byTwin)).equals(dataKey)).toBe(true);
      expect((await provider.unwrapKey(id, byProvider)).equals(dataKey)).toBe(true);
      pkcs11.C_DestroyObject(session, twin);
    } finally {
      inspector.close();
      await provider.close();
    }
  });

  it('SEC-10: a wrong PIN or token label is refused without starting', async () => {
    const wrongPin = createPkcs11KeyProvider({ ...token, pin: '9999' });
    const error = await expectProviderError(wrongPin.activeMasterKeyId(), 'refused');
    expect(error.message).not.toContain('9999');
    await wrongPin.close();
    const wrongLabel = createPkcs11KeyProvider({ ...token, tokenLabel: 'no-such-token' });
    await expectProviderError(wrongLabel.activeMasterKeyId(), 'provider_unavailable');
    await wrongLabel.close();
  });
});
