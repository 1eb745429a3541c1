import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ErrorCode } from '@thestorage/contracts';
import { z } from 'zod';
import { AppError } from '../../../platform/http/errors';

/** The parts of a Google Cloud service-account JSON key the connector uses. */
export interface ServiceAccountKey {
  clientEmail: string;
  privateKeyId: string;
  privateKey: KeyObject;
  tokenUri: string;
}

const serviceAccountKeySchema = z.object({
  type: z.literal('service_account'),
  client_email: z.string().trim().min(1),
  private_key_id: z.string().trim().min(1),
  private_key: z.string().includes('PRIVATE KEY-----'),
  token_uri: z.url({ protocol: /^https$/ }).optional(),
});

const invalidKey = (message: string, field?: string) =>
  new AppError(ErrorCode.ValidationFailed, message, { details: field ? { field } : undefined });

/**
 * Reads the JSON key an administrator pasted. Errors name the field at fault but never repeat the
 * input (nor attach parse errors as causes, since those quote it): it holds a private key.
 */
export function parseServiceAccountKey(keyJson: string): ServiceAccountKey {
  let raw: unknown;
  try {
    raw = JSON.parse(keyJson);
  } catch {
    throw invalidKey('The service account key is not valid JSON: paste the whole downloaded JSON key file');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidKey('The service account key must be a JSON object (the downloaded JSON key file)');
  }
  const parsed = serviceAccountKeySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'type');
    const present = (raw as Record<string, unknown>)[field] !== undefined;
    const problem =
      field === 'type' && present
        ? 'has type other than "service_account": create a key for a service account'
        : present
          ? `has an invalid ${field}`
          : `is missing ${field}`;
    throw invalidKey(`The service account key ${problem}`, field);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: parsed.data.private_key, format: 'pem' });
  } catch {
    throw invalidKey(
      'The service account key has an invalid private_key: it is not a PEM private key',
      'private_key',
    );
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw invalidKey(
      'The service account key has an invalid private_key: Google keys are RSA keys',
      'private_key',
    );
  }
  return {
    clientEmail: parsed.data.client_email,
    privateKeyId: parsed.data.private_key_id,
    privateKey,
    tokenUri: parsed.data.token_uri ?? 'https://oauth2.googleapis.com/token',
  };
}
