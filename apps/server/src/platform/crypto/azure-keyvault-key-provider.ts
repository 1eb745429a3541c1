import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../clock';
import { formatKekId, parseKekId, requireKekLabel } from './keks';
import { DATA_KEY_BYTES, type KeyProvider, KeyProviderError } from './key-provider';

export type AzureAuth =
  | {
      kind: 'managed-identity';
      /** IDENTITY_ENDPOINT of App Service / Container Apps; default the instance metadata service. */
      endpoint?: string;
      /** IDENTITY_HEADER, sent as X-IDENTITY-HEADER to `endpoint`. */
      header?: string;
      /** A user-assigned identity; default the system-assigned one. */
      clientId?: string;
    }
  | {
      kind: 'client-credentials';
      tenantId: string;
      clientId: string;
      clientSecret: string;
      /** Default https://login.microsoftonline.com. */
      authorityUrl?: string;
    };

export interface AzureKeyVaultOptions {
  /** https://<name>.vault.azure.net */
  vaultUrl: string;
  /** KEK `tenant:<uuid>:v2` is the key `<prefix>-tenant-<uuid>-v2`; default `kek`. */
  keyNamePrefix?: string;
  auth: AzureAuth;
  /** PEM of a CA to trust in addition to the system's (tests, private endpoints). */
  ca?: string;
  clock: Clock;
  /** Per-request limit; default 15 s. */
  timeoutMs?: number;
}

const API_VERSION = '7.4';
const VAULT_SCOPE = 'https://vault.azure.net/.default';
const VAULT_RESOURCE = 'https://vault.azure.net';
const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
// The instance metadata service answers on a link-local address, over plain HTTP, by design.
const IMDS_ENDPOINT = 'http://169.254.169.254/metadata/identity/oauth2/token';
const TOKEN_RENEW_BEFORE_MS = 5 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
// A purge right after a delete may answer 409 while the vault finishes deleting.
const PURGE_ATTEMPTS = 5;
const PURGE_RETRY_MS = 500;
/** Room left in the 127-character key name after the prefix: `-organization-<uuid>-v999999`. */
const MAX_PREFIX_LENGTH = 127 - 58;

interface Reply {
  status: number;
  body: unknown;
}

interface Request {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  body?: string;
}

const send = (req: Request, ca: string | undefined, timeoutMs: number): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const client = req.url.protocol === 'https:' ? https : http;
    const request = client.request(
      req.url,
      {
        method: req.method,
        headers: { accept: 'application/json', ...req.headers },
        timeout: timeoutMs,
        ...(req.url.protocol === 'https:' && ca ? { ca } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) request.destroy(new Error('response too large'));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: kept as text for the status check, never shown.
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(req.body);
  });

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

const errorCode = (body: unknown): string => {
  const code = field(field(body, 'error'), 'code') ?? field(body, 'error');
  return typeof code === 'string' ? code : 'no error code';
};

const requireHttps = (value: string, what: string): URL => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KeyProviderError('refused', `${what} is not a URL`);
  }
  if (url.protocol !== 'https:') throw new KeyProviderError('refused', `${what} must be an https:// URL`);
  return url;
};

/**
 * KEKs in Azure Key Vault (SEC-10): one RSA-HSM key per KEK, named from its label; wrapKey/unwrapKey
 * (RSA-OAEP-256) run inside the vault over its REST API. Destroying a KEK deletes the key and purges
 * it when the vault allows; with soft-delete and purge protection it is final after the retention.
 */
export function createAzureKeyVaultKeyProvider(opts: AzureKeyVaultOptions): KeyProvider {
  const vault = requireHttps(opts.vaultUrl, 'The Key Vault URL');
  const vaultBase = vault.origin;
  const prefix = opts.keyNamePrefix ?? 'kek';
  if (!/^[0-9a-zA-Z]([0-9a-zA-Z-]*[0-9a-zA-Z])?$/.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
    throw new KeyProviderError(
      'refused',
      `A Key Vault key name prefix holds only letters, digits and dashes, at most ${MAX_PREFIX_LENGTH}`,
    );
  }
  const auth = opts.auth;
  if (auth.kind === 'client-credentials')
    requireHttps(auth.authorityUrl ?? DEFAULT_AUTHORITY, 'The authority URL');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let cached: { token: string; renewAt: number } | undefined;

  const call = async (req: Request, what: string): Promise<Reply> => {
    try {
      return await send(req, opts.ca, timeoutMs);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'network error';
      throw new KeyProviderError('provider_unavailable', `${what}: ${reason}`, { cause });
    }
  };

  const requestToken = async (): Promise<Reply> => {
    if (auth.kind === 'client-credentials') {
      const authority = (auth.authorityUrl ?? DEFAULT_AUTHORITY).replace(/\/+$/, '');
      return call(
        {
          method: 'POST',
          url: new URL(`${authority}/${encodeURIComponent(auth.tenantId)}/oauth2/v2.0/token`),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: auth.clientId,
            client_secret: auth.clientSecret,
            scope: VAULT_SCOPE,
          }).toString(),
        },
        'Requesting an Azure AD token',
      );
    }
    const appService = auth.endpoint !== undefined;
    const url = new URL(auth.endpoint ?? IMDS_ENDPOINT);
    url.searchParams.set('resource', VAULT_RESOURCE);
    url.searchParams.set('api-version', appService ? '2019-08-01' : '2018-02-01');
    if (auth.clientId) url.searchParams.set('client_id', auth.clientId);
    const headers: Record<string, string> = appService
      ? { 'x-identity-header': auth.header ?? '' }
      : { metadata: 'true' };
    return call({ method: 'GET', url, headers }, 'Requesting a managed identity token');
  };

  const accessToken = async (): Promise<string> => {
    const now = opts.clock.now().getTime();
    if (cached && now < cached.renewAt) return cached.token;
    const reply = await requestToken();
    const token = field(reply.body, 'access_token');
    if (reply.status !== 200 || typeof token !== 'string') {
      const code =
        reply.status === 400 || reply.status === 401 || reply.status === 403
          ? 'refused'
          : 'provider_unavailable';
      throw new KeyProviderError(
        code,
        `The identity endpoint refused a Key Vault token (HTTP ${reply.status}, ${errorCode(reply.body)})`,
      );
    }
    // expires_in (seconds from now) from Azure AD; expires_on (epoch seconds) from managed identity.
    const expiresIn = Number(field(reply.body, 'expires_in'));
    const expiresOn = Number(field(reply.body, 'expires_on'));
    const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : expiresOn * 1000;
    const lifetime = Number.isFinite(expiresAt) ? expiresAt - now : 0;
    cached = { token, renewAt: now + Math.max(0, Math.min(lifetime - TOKEN_RENEW_BEFORE_MS, lifetime / 2)) };
    return token;
  };

  /** A Key Vault call with a bearer token; one retry with a fresh token after a 401. */
  const vaultCall = async (
    method: Request['method'],
    path: string,
    what: string,
    body?: object,
  ): Promise<Reply> => {
    const url = new URL(`${vaultBase}${path}`);
    url.searchParams.set('api-version', API_VERSION);
    for (let attempt = 0; ; attempt += 1) {
      const reply = await call(
        {
          method,
          url,
          headers: {
            authorization: `Bearer ${await accessToken()}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        },
        what,
      );
      if (reply.status === 401 && attempt === 0) {
        cached = undefined;
        continue;
      }
      return reply;
    }
  };

  const failed = (reply: Reply, what: string, notFound: KeyProviderError['code']): KeyProviderError => {
    const code =
      reply.status === 404
        ? notFound
        : reply.status === 401 || reply.status === 403
          ? 'refused'
          : 'provider_unavailable';
    return new KeyProviderError(
      code,
      `Key Vault: ${what} failed (HTTP ${reply.status}, ${errorCode(reply.body)})`,
    );
  };

  const keyNameOf = (label: string): string => `${prefix}-${label.replaceAll(':', '-')}`;

  /** The version at the end of a key id (`https://<vault>/keys/<name>/<version>`). */
  const versionOfKid = (kid: unknown): string | undefined => {
    if (typeof kid !== 'string') return undefined;
    const version = kid.slice(kid.lastIndexOf('/') + 1);
    return /^[0-9a-zA-Z]{1,64}$/.test(version) ? version : undefined;
  };

  const findKek = async (label: string): Promise<string | undefined> => {
    const name = keyNameOf(label);
    const reply = await vaultCall('GET', `/keys/${name}`, `Reading KEK ${name}`);
    if (reply.status === 404) return undefined;
    const version = versionOfKid(field(field(reply.body, 'key'), 'kid'));
    if (reply.status !== 200 || !version) throw failed(reply, `reading KEK ${name}`, 'provider_unavailable');
    return formatKekId(label, version);
  };

  /** The key path of a KEK id: `/keys/<name>/<version>`; ids this provider cannot have made are unknown. */
  const keyPathOf = (kekId: string): { name: string; path: string } => {
    const parsed = parseKekId(kekId);
    if (!parsed) throw new KeyProviderError('unknown_kek', `${kekId} is not a KEK id`);
    const name = keyNameOf(parsed.label);
    return { name, path: `/keys/${name}/${parsed.ref}` };
  };

  const keyOperation = async (op: 'wrapkey' | 'unwrapkey', kekId: string, value: Buffer): Promise<Buffer> => {
    const key = keyPathOf(kekId);
    const reply = await vaultCall('POST', `${key.path}/${op}`, `Key Vault ${op}`, {
      alg: 'RSA-OAEP-256',
      value: value.toString('base64url'),
    });
    const result = field(reply.body, 'value');
    if (reply.status === 200 && typeof result === 'string') return Buffer.from(result, 'base64url');
    if (op === 'unwrapkey' && reply.status === 400) {
      throw new KeyProviderError('unwrap_failed', `Key Vault cannot unwrap a data key with ${kekId}`);
    }
    throw failed(reply, `${op} with ${kekId}`, 'unknown_kek');
  };

  /** Best effort: without purge permission, or under purge protection, retention ends the key instead. */
  const purge = async (name: string): Promise<void> => {
    for (let attempt = 1; attempt <= PURGE_ATTEMPTS; attempt += 1) {
      const reply = await vaultCall('DELETE', `/deletedkeys/${name}`, `Purging KEK ${name}`);
      if (reply.status !== 409) return;
      await new Promise((resolve) => setTimeout(resolve, PURGE_RETRY_MS));
    }
  };

  return {
    kind: 'azure-keyvault',
    async ping() {
      // Reading a key that need not exist proves the token and the `get` permission (404 is fine).
      const reply = await vaultCall('GET', `/keys/${prefix}-ping`, 'Reaching the Key Vault');
      if (reply.status !== 200 && reply.status !== 404) {
        throw failed(reply, 'reaching the Key Vault', 'provider_unavailable');
      }
    },
    async createKek(label) {
      requireKekLabel(label);
      const existing = await findKek(label);
      if (existing) return existing;
      const name = keyNameOf(label);
      const reply = await vaultCall('POST', `/keys/${name}/create`, `Creating KEK ${name}`, {
        kty: 'RSA-HSM',
        key_size: 3072,
        key_ops: ['wrapKey', 'unwrapKey'],
      });
      const version = versionOfKid(field(field(reply.body, 'key'), 'kid'));
      if (reply.status !== 200 || !version) throw failed(reply, `creating KEK ${name}`, 'refused');
      return formatKekId(label, version);
    },
    async findKek(label) {
      requireKekLabel(label);
      return findKek(label);
    },
    async destroyKek(kekId) {
      // Deleting the key deletes every version: twins two nodes created at once go together.
      const { name } = keyPathOf(kekId);
      const reply = await vaultCall('DELETE', `/keys/${name}`, `Deleting KEK ${name}`);
      if (reply.status !== 200 && reply.status !== 404) {
        throw failed(reply, `deleting KEK ${name}`, 'provider_unavailable');
      }
      // Also after a 404: an earlier destruction may have deleted the key but not purged it yet.
      await purge(name);
    },
    async wrapKey(kekId, dataKey) {
      if (dataKey.length !== DATA_KEY_BYTES) throw new KeyProviderError('refused', 'A data key is 32 bytes');
      return keyOperation('wrapkey', kekId, dataKey);
    },
    unwrapKey: (kekId, wrapped) => keyOperation('unwrapkey', kekId, wrapped),
    async getSecret(name) {
      if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) {
        throw new KeyProviderError(
          'unknown_secret',
          `Secret ${name}: Key Vault names hold letters, digits, dashes`,
        );
      }
      const reply = await vaultCall('GET', `/secrets/${name}`, `Reading secret ${name}`);
      const value = field(reply.body, 'value');
      if (reply.status === 200 && typeof value === 'string') return value;
      throw failed(reply, `reading secret ${name}`, 'unknown_secret');
    },
    async close() {
      cached = undefined;
    },
  };
}
