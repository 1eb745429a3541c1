import { generateKeyPair, type KeyObject, randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';

/** The JSON key Google Cloud hands out for a service account ("Keys → Add key → JSON"). */
export interface ServiceAccountKeyJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

export interface FakeServiceAccount {
  key: ServiceAccountKeyJson;
  /** The half Google keeps: verifies the assertions signed with key.private_key. */
  publicKey: KeyObject;
}

const generateRsa = promisify(generateKeyPair);

/** A fresh RSA-2048 service account whose token_uri points at the fake's token endpoint. */
export async function createFakeServiceAccount(tokenUri: string): Promise<FakeServiceAccount> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const projectId = `thestorage-test-${randomBytes(3).toString('hex')}`;
  const clientEmail = `directory-sync@${projectId}.iam.gserviceaccount.com`;
  const key: ServiceAccountKeyJson = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: `1${String(randomInt(1e9)).padStart(10, '0')}${String(randomInt(1e9)).padStart(10, '0')}`,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  return { key, publicKey };
}
