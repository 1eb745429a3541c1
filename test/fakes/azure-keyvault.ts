import {
  constants,
  generateKeyPair,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTestCertificates } from '../../apps/server/src/platform/tls/test-certificates';

/**
 * A local stand-in for Azure Key Vault and its token endpoints, speaking the same REST protocol
 * (Key Vault API 7.4, Azure AD client credentials, App Service managed identity). Keys are real RSA
 * pairs: wrap and unwrap really use RSA-OAEP-256, and private keys never leave this object. Deleting a
 * key soft-deletes it as a vault with soft-delete does (unusable, name taken) until it is purged.
 */
export interface FakeKeyVault {
  /** Vault URL, also the authority URL for client credentials. */
  url: string;
  caPem: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** IDENTITY_ENDPOINT / IDENTITY_HEADER for the managed identity flow. */
  identityEndpoint: string;
  identityHeader: string;
  /** Token requests answered with a token so far. */
  readonly tokensIssued: number;
  setSecret(name: string, value: string): void;
  /** Where a key name stands: created and usable, deleted (recoverable until purged), or never seen/purged. */
  keyState(name: string): 'active' | 'deleted' | undefined;
  /** Forgets every issued token, as after a revocation: the next vault call gets a 401. */
  revokeTokens(): void;
  close(): Promise<void>;
}

interface KeyVersion {
  version: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  created: number;
}

const API_VERSION = '7.4';
const TOKEN_LIFETIME_S = 3600;
const generateRsa = promisify(generateKeyPair);
const OAEP_256 = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};
const vaultError = (res: ServerResponse, status: number, code: string, message: string) =>
  json(res, status, { error: { code, message } });

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parseJson = (text: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export async function startFakeKeyVault(): Promise<FakeKeyVault> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-fake-keyvault-'));
  const certificates = await makeTestCertificates(dir);
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const clientSecret = randomBytes(24).toString('base64url');
  const identityHeader = randomBytes(16).toString('hex');
  const tokens = new Map<string, number>();
  const keys = new Map<string, KeyVersion[]>();
  const deletedKeys = new Map<string, KeyVersion[]>();
  const secrets = new Map<string, { value: string; version: string }>();
  let tokensIssued = 0;
  let base = '';

  const issueToken = () => {
    tokensIssued += 1;
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, Date.now() + TOKEN_LIFETIME_S * 1000);
    return token;
  };

  const keyBundle = (name: string, key: KeyVersion) => {
    const jwk = key.publicKey.export({ format: 'jwk' });
    return {
      key: {
        kid: `${base}/keys/${name}/${key.version}`,
        kty: 'RSA-HSM',
        key_ops: ['wrapKey', 'unwrapKey'],
        n: jwk.n,
        e: jwk.e,
      },
      attributes: { enabled: true, created: key.created, updated: key.created, recoveryLevel: 'Recoverable' },
    };
  };

  const clientCredentials = async (req: IncomingMessage, res: ServerResponse, tenant: string) => {
    const form = new URLSearchParams(await readBody(req));
    if (tenant !== tenantId)
      return json(res, 400, {
        error: 'invalid_request',
        error_description: 'AADSTS90002: Tenant not found.',
      });
    if (form.get('grant_type') !== 'client_credentials')
      return json(res, 400, { error: 'unsupported_grant_type' });
    if (form.get('scope') !== 'https://vault.azure.net/.default')
      return json(res, 400, { error: 'invalid_scope' });
    if (form.get('client_id') !== clientId) return json(res, 400, { error: 'unauthorized_client' });
    if (form.get('client_secret') !== clientSecret) {
      return json(res, 401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
      });
    }
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      ext_expires_in: TOKEN_LIFETIME_S,
      access_token: issueToken(),
    });
  };

  const managedIdentity = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => {
    if (req.headers['x-identity-header'] !== identityHeader) return json(res, 401, { error: 'unauthorized' });
    if (query.get('api-version') !== '2019-08-01') return json(res, 400, { error: 'invalid api-version' });
    if (query.get('resource') !== 'https://vault.azure.net')
      return json(res, 400, { error: 'invalid_resource' });
    const expiresOn = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
    json(res, 200, {
      access_token: issueToken(),
      expires_on: String(expiresOn),
      resource: 'https://vault.azure.net',
      token_type: 'Bearer',
      client_id: clientId,
    });
  };

  const vault = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer ? tokens.get(bearer) : undefined;
    if (!expiresAt || expiresAt < Date.now()) {
      res.setHeader(
        'www-authenticate',
        `Bearer authorization="${base}/${tenantId}", resource="https://vault.azure.net"`,
      );
      return vaultError(res, 401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.');
    }
    const apiVersion = url.searchParams.get('api-version');
    if (apiVersion !== API_VERSION) {
      return vaultError(res, 400, 'BadParameter', `The specified version (${apiVersion}) is not recognized.`);
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [collection, name, third, fourth] = parts;
    if (collection === 'secrets' && name && parts.length === 2 && req.method === 'GET') {
      const secret = secrets.get(name);
      if (!secret)
        return vaultError(res, 404, 'SecretNotFound', `A secret with (name/id) ${name} was not found.`);
      return json(res, 200, {
        value: secret.value,
        id: `${base}/secrets/${name}/${secret.version}`,
        attributes: { enabled: true },
      });
    }
    if (collection === 'deletedkeys' && name && parts.length === 2 && req.method === 'DELETE') {
      if (!deletedKeys.delete(name))
        return vaultError(res, 404, 'KeyNotFound', `Deleted Key not found: ${name}`);
      res.writeHead(204);
      return res.end();
    }
    if (collection !== 'keys' || !name) return vaultError(res, 404, 'NotFound', 'No such endpoint.');
    const versions = keys.get(name) ?? [];
    if (parts.length === 2 && req.method === 'DELETE') {
      const latest = versions.at(-1);
      if (!latest) return vaultError(res, 404, 'KeyNotFound', `A key with (name/id) ${name} was not found.`);
      keys.delete(name);
      deletedKeys.set(name, versions);
      return json(res, 200, {
        ...keyBundle(name, latest),
        recoveryId: `${base}/deletedkeys/${name}`,
        deletedDate: Math.floor(Date.now() / 1000),
      });
    }
    if (parts.length === 2 && req.method === 'GET') {
      const latest = versions.at(-1);
      if (!latest) return vaultError(res, 404, 'KeyNotFound', `A key with (name/id) ${name} was not found.`);
      return json(res, 200, keyBundle(name, latest));
    }
    const body = parseJson(await readBody(req));
    if (third === 'create' && parts.length === 3 && req.method === 'POST') {
      if (deletedKeys.has(name)) {
        return vaultError(
          res,
          409,
          'Conflict',
          `Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused.`,
        );
      }
      const ops = Array.isArray(body.key_ops) ? body.key_ops : [];
      if (
        !['RSA', 'RSA-HSM'].includes(String(body.kty)) ||
        !ops.includes('wrapKey') ||
        !ops.includes('unwrapKey')
      ) {
        return vaultError(res, 400, 'BadParameter', 'Property kty or key_ops is not valid.');
      }
      const modulusLength = Number(body.key_size ?? 2048);
      if (![2048, 3072, 4096].includes(modulusLength))
        return vaultError(res, 400, 'BadParameter', 'Invalid key_size.');
      const pair = await generateRsa('rsa', { modulusLength });
      const key = {
        version: randomBytes(16).toString('hex'),
        ...pair,
        created: Math.floor(Date.now() / 1000),
      };
      keys.set(name, [...versions, key]);
      return json(res, 200, keyBundle(name, key));
    }
    const key = versions.find((v) => v.version === third);
    if (parts.length !== 4 || req.method !== 'POST' || (fourth !== 'wrapkey' && fourth !== 'unwrapkey')) {
      return vaultError(res, 404, 'NotFound', 'No such endpoint.');
    }
    if (!key)
      return vaultError(res, 404, 'KeyNotFound', `A key with (name/id) ${name}/${third} was not found.`);
    if (body.alg !== 'RSA-OAEP-256' || typeof body.value !== 'string') {
      return vaultError(res, 400, 'BadParameter', 'Property alg or value is not valid.');
    }
    const value = Buffer.from(body.value, 'base64url');
    try {
      const result =
        fourth === 'wrapkey'
          ? publicEncrypt({ key: key.publicKey, ...OAEP_256 }, value)
          : privateDecrypt({ key: key.privateKey, ...OAEP_256 }, value);
      json(res, 200, { kid: `${base}/keys/${name}/${key.version}`, value: result.toString('base64url') });
    } catch {
      vaultError(res, 400, 'BadParameter', 'Bad Request');
    }
  };

  const server = createServer({ cert: certificates.certPem, key: certificates.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    const handled =
      tokenPath && req.method === 'POST'
        ? clientCredentials(req, res, decodeURIComponent(tokenPath[1] ?? ''))
        : url.pathname === '/msi/token' && req.method === 'GET'
          ? managedIdentity(req, res, url.searchParams)
          : vault(req, res, url);
    Promise.resolve(handled).catch(() => vaultError(res, 500, 'InternalError', 'The fake failed.'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    caPem: certificates.caPem,
    tenantId,
    clientId,
    clientSecret,
    identityEndpoint: `${base}/msi/token`,
    identityHeader,
    get tokensIssued() {
      return tokensIssued;
    },
    setSecret(name, value) {
      secrets.set(name, { value, version: randomBytes(16).toString('hex') });
    },
    keyState(name) {
      if (keys.has(name)) return 'active';
      return deletedKeys.has(name) ? 'deleted' : undefined;
    },
    revokeTokens() {
      tokens.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
