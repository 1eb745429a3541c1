import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AzureAuth } from './platform/crypto/azure-keyvault-key-provider';

/**
 * Variables that may carry a secret: each may also be given as `<NAME>_FILE` (a file holding it) or,
 * unless the key provider needs it itself, as `secret:NAME` resolved through the key provider.
 */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_MIGRATION_URL',
  'REDIS_URL',
  'PKCS11_PIN',
  'AZURE_CLIENT_SECRET',
  'IDENTITY_HEADER',
  'OIDC_CLIENT_SECRET',
  'ENTRA_CLIENT_SECRET',
  'MICROSOFT_ACCOUNT_CLIENT_SECRET',
  'GOOGLE_CLIENT_SECRET',
] as const;

/** The key provider's own settings: read before any `secret:` reference can be resolved. */
export const KEY_PROVIDER_VARIABLES = [
  'KEY_PROVIDER',
  'PKCS11_MODULE',
  'PKCS11_TOKEN_LABEL',
  'PKCS11_PIN',
  'AZURE_KEYVAULT_URL',
  'AZURE_KEYVAULT_KEY_NAME',
  'AZURE_KEYVAULT_CA_FILE',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_AUTHORITY_URL',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
] as const;

const booleanish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

const redisUrl = z.string().refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

const environmentSchema = z.object({
  MODE: z.enum(['embedded', 'production']).default('embedded'),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.url({ protocol: /^https$/ }).optional(),
  /** The daily reference-rate document in the ECB's XML format (issue 7). */
  EXCHANGE_RATES_URL: z
    .url({ protocol: /^https$/ })
    .default('https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml'),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TLS_RELOAD_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  TRUST_PROXY: booleanish.default(false),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_MIGRATION_URL: postgresUrl.optional(),
  DATABASE_CA_FILE: z.string().min(1).optional(),
  DATABASE_PREPARED_STATEMENTS: booleanish.default(true),
  REDIS_URL: redisUrl.optional(),
  REDIS_CA_FILE: z.string().min(1).optional(),
  WEB_DIST_DIR: z.string().min(1).optional(),
  // Key custody (SEC-10).
  KEY_PROVIDER: z.enum(['local', 'pkcs11', 'azure-keyvault']).optional(),
  PKCS11_MODULE: z.string().min(1).optional(),
  PKCS11_TOKEN_LABEL: z.string().min(1).max(32, 'a PKCS#11 token label has at most 32 characters').optional(),
  PKCS11_PIN: z.string().min(1).optional(),
  AZURE_KEYVAULT_URL: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  AZURE_KEYVAULT_KEY_NAME: z
    .string()
    .regex(/^[0-9a-zA-Z-]{1,127}$/, 'a Key Vault key name holds only letters, digits and dashes')
    .default('thestorage-kek'),
  AZURE_KEYVAULT_CA_FILE: z.string().min(1).optional(),
  AZURE_TENANT_ID: z.string().min(1).optional(),
  AZURE_CLIENT_ID: z.string().min(1).optional(),
  AZURE_CLIENT_SECRET: z.string().min(1).optional(),
  AZURE_AUTHORITY_URL: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  IDENTITY_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  IDENTITY_HEADER: z.string().min(1).optional(),
  // Sign-in and access (SEC-3, SEC-13, SEC-14).
  DEV_IDP_ENABLED: booleanish.optional(),
  PLATFORM_ADMINS: z.string().optional(),
  OIDC_ISSUER: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_LABEL: z.string().min(1).max(60).default('Single sign-on'),
  OIDC_CA_FILE: z.string().min(1).optional(),
  ENTRA_CLIENT_ID: z.string().min(1).optional(),
  ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_ACCOUNT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_ACCOUNT_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  AUTH_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RATE_LIMIT_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
});

// The part of the environment the key provider is built from, before the rest can be resolved.
const keyProviderSchema = environmentSchema.pick({
  MODE: true,
  DATA_DIR: true,
  KEY_PROVIDER: true,
  PKCS11_MODULE: true,
  PKCS11_TOKEN_LABEL: true,
  PKCS11_PIN: true,
  AZURE_KEYVAULT_URL: true,
  AZURE_KEYVAULT_KEY_NAME: true,
  AZURE_KEYVAULT_CA_FILE: true,
  AZURE_TENANT_ID: true,
  AZURE_CLIENT_ID: true,
  AZURE_CLIENT_SECRET: true,
  AZURE_AUTHORITY_URL: true,
  IDENTITY_ENDPOINT: true,
  IDENTITY_HEADER: true,
});
type KeyProviderEnvironment = z.infer<typeof keyProviderSchema>;

/** Where master keys live (SEC-10); the local key file is for the embedded default only. */
export type KeyProviderSettings =
  | { kind: 'local'; file: string }
  | { kind: 'pkcs11'; modulePath: string; tokenLabel: string; pin: string }
  | {
      kind: 'azure-keyvault';
      vaultUrl: string;
      keyName: string;
      auth: AzureAuth;
      caFile: string | undefined;
    };

export interface Config {
  mode: 'embedded' | 'production';
  host: string;
  port: number;
  dataDir: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  publicUrl: string | undefined;
  /** Where the daily exchange rates come from (ECB XML format). */
  exchangeRatesUrl: string;
  tls:
    | { source: 'dev-ca'; reloadIntervalMs: number }
    | { source: 'files'; certFile: string; keyFile: string; reloadIntervalMs: number }
    | { source: 'proxy' };
  trustProxy: boolean;
  database:
    | { kind: 'sqlite'; file: string }
    | {
        kind: 'postgres';
        url: string;
        migrationUrl: string | undefined;
        caFile: string | undefined;
        /** Statements prepared once per connection (off behind a pooler that cannot keep them). */
        preparedStatements: boolean;
      };
  cache: { kind: 'memory' } | { kind: 'redis'; url: string; caFile: string | undefined };
  webDistDir: string;
  access: {
    /** The built-in development identity provider at /dev-idp (embedded default; production only if enabled). */
    devIdentityProvider: boolean;
    /** People who may use the platform console, as `issuer|subject`; they must also present MFA. */
    platformAdmins: string[];
    oidc:
      | {
          issuer: string;
          clientId: string;
          clientSecret: string | undefined;
          label: string;
          caFile: string | undefined;
        }
      | undefined;
    entra: ClientRegistration | undefined;
    microsoftAccount: ClientRegistration | undefined;
    google: ClientRegistration | undefined;
    sessionIdleMs: number;
    sessionAbsoluteMs: number;
    authLogRetentionDays: number;
    signInPerMinute: number;
    apiPerMinute: number;
  };
  keyProvider: KeyProviderSettings;
}

/** The service's app registration at a well-known identity provider. */
export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
}

/** Boot refuses to go on: `problems` lists every one of them, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Record<string, string | undefined>;

/** Replaces `X_FILE` by the content of the file it names, so secrets need not sit in the environment. */
function resolveSecretFiles(
  env: Environment,
  problems: string[],
  names: readonly string[] = SECRET_VARIABLES,
): Environment {
  const resolved: Environment = { ...env };
  for (const name of names) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`${name} and ${name}_FILE are both set: give only one`);
      continue;
    }
    try {
      resolved[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return resolved;
}

const SECRET_REFERENCE = 'secret:';

/** Drops (and reports) key-provider settings given as `secret:` references: nothing could resolve them. */
function refuseSecretReferences(env: Environment, problems: string[]): Set<string> {
  const refused = new Set<string>();
  for (const name of KEY_PROVIDER_VARIABLES) {
    if (!env[name]?.startsWith(SECRET_REFERENCE)) continue;
    refused.add(name);
    delete env[name];
    const instead = (SECRET_VARIABLES as readonly string[]).includes(name)
      ? `; give it directly or as ${name}_FILE`
      : '';
    problems.push(
      `${name} cannot be a secret: reference: the key provider that resolves them is built from it${instead}`,
    );
  }
  return refused;
}

function keyProviderSettingsOf(
  e: KeyProviderEnvironment,
  refused: Set<string>,
  problems: string[],
): KeyProviderSettings | undefined {
  const production = e.MODE === 'production';
  const requireAll = (names: (keyof KeyProviderEnvironment)[], when: string): boolean => {
    const absent = names.filter((name) => e[name] === undefined && !refused.has(name));
    for (const name of absent) problems.push(`${name} is required ${when}`);
    return absent.length === 0 && names.every((name) => !refused.has(name));
  };
  if (refused.has('KEY_PROVIDER')) return undefined;
  const kind = e.KEY_PROVIDER ?? (production ? undefined : 'local');
  if (!kind) {
    problems.push('KEY_PROVIDER is required when MODE=production: pkcs11 or azure-keyvault');
    return undefined;
  }
  if (kind === 'local' && production) {
    problems.push(
      'KEY_PROVIDER=local is refused when MODE=production: a key file next to the data does not protect it; use pkcs11 or azure-keyvault',
    );
  }
  // A forgotten KEY_PROVIDER would otherwise fall back to the local key file without a word.
  const strays: (keyof KeyProviderEnvironment)[] = [
    ...(kind === 'pkcs11' ? [] : (['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL', 'PKCS11_PIN'] as const)),
    ...(kind === 'azure-keyvault' ? [] : (['AZURE_KEYVAULT_URL'] as const)),
  ];
  for (const name of strays) {
    if (e[name] !== undefined) problems.push(`${name} is set but KEY_PROVIDER is ${kind}`);
  }

  if (kind === 'local') return { kind, file: path.join(path.resolve(e.DATA_DIR), 'keys', 'master.json') };
  if (kind === 'pkcs11') {
    if (!requireAll(['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL', 'PKCS11_PIN'], 'when KEY_PROVIDER=pkcs11'))
      return undefined;
    return {
      kind,
      modulePath: e.PKCS11_MODULE as string,
      tokenLabel: e.PKCS11_TOKEN_LABEL as string,
      pin: e.PKCS11_PIN as string,
    };
  }
  const hasVault = requireAll(['AZURE_KEYVAULT_URL'], 'when KEY_PROVIDER=azure-keyvault');
  // A client secret wins over managed identity: App Service sets IDENTITY_ENDPOINT on its own.
  const clientCredentials =
    e.AZURE_TENANT_ID !== undefined ||
    e.AZURE_CLIENT_SECRET !== undefined ||
    refused.has('AZURE_CLIENT_SECRET');
  let auth: AzureAuth | undefined;
  if (clientCredentials) {
    const when = 'for Key Vault client credentials (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)';
    if (requireAll(['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'], when)) {
      auth = {
        kind: 'client-credentials',
        tenantId: e.AZURE_TENANT_ID as string,
        clientId: e.AZURE_CLIENT_ID as string,
        clientSecret: e.AZURE_CLIENT_SECRET as string,
        authorityUrl: e.AZURE_AUTHORITY_URL,
      };
    }
  } else if (
    (e.IDENTITY_ENDPOINT !== undefined) !==
    (e.IDENTITY_HEADER !== undefined || refused.has('IDENTITY_HEADER'))
  ) {
    problems.push(
      'IDENTITY_ENDPOINT and IDENTITY_HEADER must be given together (or neither, for the instance metadata service)',
    );
  } else if (!refused.has('IDENTITY_HEADER')) {
    auth = {
      kind: 'managed-identity',
      endpoint: e.IDENTITY_ENDPOINT,
      header: e.IDENTITY_HEADER,
      clientId: e.AZURE_CLIENT_ID,
    };
  }
  if (!hasVault || !auth) return undefined;
  return {
    kind,
    vaultUrl: e.AZURE_KEYVAULT_URL as string,
    keyName: e.AZURE_KEYVAULT_KEY_NAME,
    auth,
    caFile: e.AZURE_KEYVAULT_CA_FILE ? path.resolve(e.AZURE_KEYVAULT_CA_FILE) : undefined,
  };
}

const presentOf = (rawEnv: Environment): Environment =>
  Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v !== ''));

/**
 * The key provider's settings alone, read at boot before `secret:` references are resolved through it
 * (the rest of the environment may still hold such references). Throws ConfigError with every problem.
 */
export function loadKeyProviderSettings(rawEnv: Environment): KeyProviderSettings {
  const problems: string[] = [];
  const secretBearing = SECRET_VARIABLES.filter((name) =>
    (KEY_PROVIDER_VARIABLES as readonly string[]).includes(name),
  );
  const env = resolveSecretFiles(presentOf(rawEnv), problems, secretBearing);
  const refused = refuseSecretReferences(env, problems);
  const parsed = keyProviderSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const settings = keyProviderSettingsOf(parsed.data, refused, problems);
  if (problems.length > 0 || !settings) throw new ConfigError(problems);
  return settings;
}

const defaultWebDist = () => path.resolve(import.meta.dirname, '../../web/dist');

/** Reads and checks the whole environment; throws ConfigError listing every problem. */
export function loadConfig(rawEnv: Environment): Config {
  const problems: string[] = [];
  const env = resolveSecretFiles(presentOf(rawEnv), problems);
  const refused = refuseSecretReferences(env, problems);
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const production = e.MODE === 'production';

  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be given together');
  }
  if (e.TRUST_PROXY && !production) {
    problems.push('TRUST_PROXY is only for MODE=production behind a TLS-terminating load balancer');
  }
  if (production) {
    if (!e.DATABASE_URL) problems.push('DATABASE_URL is required when MODE=production (PostgreSQL)');
    if (!e.REDIS_URL) problems.push('REDIS_URL is required when MODE=production');
    if (!e.TLS_CERT_FILE && !e.TRUST_PROXY) {
      problems.push(
        'TLS_CERT_FILE and TLS_KEY_FILE are required when MODE=production (or TRUST_PROXY=1 behind a TLS load balancer)',
      );
    }
  }
  if (e.DATABASE_MIGRATION_URL && !e.DATABASE_URL) {
    problems.push('DATABASE_MIGRATION_URL needs DATABASE_URL');
  }
  if (Boolean(e.OIDC_ISSUER) !== Boolean(e.OIDC_CLIENT_ID)) {
    problems.push('OIDC_ISSUER and OIDC_CLIENT_ID must be given together');
  }
  const registration = (name: string, id: string | undefined, secret: string | undefined) => {
    if (!id && !secret) return undefined;
    if (!id || !secret) {
      problems.push(`${name}_CLIENT_ID and ${name}_CLIENT_SECRET must be given together`);
      return undefined;
    }
    return { clientId: id, clientSecret: secret };
  };
  const entra = registration('ENTRA', e.ENTRA_CLIENT_ID, e.ENTRA_CLIENT_SECRET);
  const microsoftAccount = registration(
    'MICROSOFT_ACCOUNT',
    e.MICROSOFT_ACCOUNT_CLIENT_ID,
    e.MICROSOFT_ACCOUNT_CLIENT_SECRET,
  );
  const google = registration('GOOGLE', e.GOOGLE_CLIENT_ID, e.GOOGLE_CLIENT_SECRET);
  const platformAdmins = (e.PLATFORM_ADMINS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of platformAdmins) {
    if (!/^https:\/\/[^|\s]+\|[^|\s]+$/.test(entry)) {
      problems.push(`PLATFORM_ADMINS: "${entry}" is not issuer|subject (the issuer is an https:// URL)`);
    }
  }
  const keyProvider = keyProviderSettingsOf(e, refused, problems);
  if (problems.length > 0 || !keyProvider) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  const tls: Config['tls'] =
    e.TLS_CERT_FILE && e.TLS_KEY_FILE
      ? {
          source: 'files',
          certFile: path.resolve(e.TLS_CERT_FILE),
          keyFile: path.resolve(e.TLS_KEY_FILE),
          reloadIntervalMs: e.TLS_RELOAD_INTERVAL_MS,
        }
      : e.TRUST_PROXY
        ? { source: 'proxy' }
        : { source: 'dev-ca', reloadIntervalMs: e.TLS_RELOAD_INTERVAL_MS };

  return {
    mode: e.MODE,
    // The embedded default answers on this machine only; production listens on every interface.
    host: e.HOST ?? (production ? '0.0.0.0' : 'localhost'),
    port: e.PORT,
    dataDir,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    exchangeRatesUrl: e.EXCHANGE_RATES_URL,
    tls,
    trustProxy: e.TRUST_PROXY,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          migrationUrl: e.DATABASE_MIGRATION_URL,
          caFile: e.DATABASE_CA_FILE,
          preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
        }
      : { kind: 'sqlite', file: path.join(dataDir, 'thestorage.db') },
    cache: e.REDIS_URL ? { kind: 'redis', url: e.REDIS_URL, caFile: e.REDIS_CA_FILE } : { kind: 'memory' },
    webDistDir: e.WEB_DIST_DIR ? path.resolve(e.WEB_DIST_DIR) : defaultWebDist(),
    access: {
      devIdentityProvider: e.DEV_IDP_ENABLED ?? !production,
      platformAdmins,
      oidc:
        e.OIDC_ISSUER && e.OIDC_CLIENT_ID
          ? {
              issuer: e.OIDC_ISSUER,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              label: e.OIDC_LABEL,
              caFile: e.OIDC_CA_FILE ? path.resolve(e.OIDC_CA_FILE) : undefined,
            }
          : undefined,
      entra,
      microsoftAccount,
      google,
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
      authLogRetentionDays: e.AUTH_LOG_RETENTION_DAYS,
      signInPerMinute: e.RATE_LIMIT_SIGN_IN_PER_MINUTE,
      apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE,
    },
    keyProvider,
  };
}

/** Hides the password of a connection string so it can be shown in a log or an error. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
