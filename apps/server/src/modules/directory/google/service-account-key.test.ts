import { ErrorCode } from '@thestorage/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeGoogleDirectory,
  startFakeGoogleDirectory,
} from '../../../../../../test/fakes/google-directory';
import { AppError } from '../../../platform/http/errors';
import { createGoogleConnector } from './google-connector';
import { parseServiceAccountKey } from './service-account-key';

let fake: FakeGoogleDirectory;
let key: Record<string, string>;
/** A line of the base64 body of the private key: must never show up in an error. */
let keyMaterial: string;

beforeAll(async () => {
  fake = await startFakeGoogleDirectory();
  key = JSON.parse(fake.serviceAccountKey) as Record<string, string>;
  keyMaterial = key.private_key!.split('\n')[3]!;
});
afterAll(() => fake.close());

function rejection(keyJson: string): AppError {
  try {
    parseServiceAccountKey(keyJson);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe(ErrorCode.ValidationFailed);
    expect(appError.cause).toBeUndefined();
    expect(`${appError.message} ${JSON.stringify(appError.details)}`).not.toContain(keyMaterial);
    return appError;
  }
  throw new Error('the key was accepted');
}

describe('Google service-account key', () => {
  it('DIR-2: reads the JSON key Google Cloud gives', () => {
    const parsed = parseServiceAccountKey(fake.serviceAccountKey);
    expect(parsed.clientEmail).toBe(key.client_email);
    expect(parsed.privateKeyId).toBe(key.private_key_id);
    expect(parsed.tokenUri).toBe(fake.tokenUrl);
    expect(parsed.privateKey.asymmetricKeyType).toBe('rsa');
  });

  it('SEC-5: a key missing a field is refused with an error naming the field, without key material', () => {
    for (const field of ['client_email', 'private_key_id', 'private_key', 'type']) {
      const { [field]: _dropped, ...rest } = key;
      const error = rejection(JSON.stringify(rest));
      expect(error.message).toBe(`The service account key is missing ${field}`);
      expect(error.details).toEqual({ field });
    }
  });

  it('SEC-5: a damaged private key is refused without repeating it', () => {
    const damaged = key.private_key!.replace(
      keyMaterial,
      `${keyMaterial.slice(0, 20)}!!${keyMaterial.slice(22)}`,
    );
    const error = rejection(JSON.stringify({ ...key, private_key: damaged }));
    expect(error.message).toMatch(/invalid private_key/);
    expect(error.message).not.toContain(keyMaterial.slice(22));
  });

  it('SEC-5: text that is not JSON is refused without quoting it', () => {
    const truncated = fake.serviceAccountKey.slice(0, fake.serviceAccountKey.indexOf(keyMaterial) + 40);
    const error = rejection(truncated);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).not.toContain(keyMaterial.slice(0, 12));
  });

  it('DIR-2: another kind of Google credential is refused with a clear error', () => {
    const error = rejection(JSON.stringify({ ...key, type: 'authorized_user' }));
    expect(error.message).toMatch(/service_account/);
    expect(rejection('[]').message).toMatch(/JSON object/);
  });

  it('SEC-5: a connector is refused at creation from a malformed key, before any request', () => {
    const { client_email: _dropped, ...rest } = key;
    fake.requests.length = 0;
    expect(() =>
      createGoogleConnector({ serviceAccountKey: JSON.stringify(rest), adminEmail: fake.adminEmail }),
    ).toThrow('The service account key is missing client_email');
    expect(fake.requests).toHaveLength(0);
  });
});
