import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Variables that may carry a secret: each may also be given as `<NAME>_FILE` (a file holding it). */
export const SECRET_VARIABLES = ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'REDIS_URL'] as const;

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
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TLS_RELOAD_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  TRUST_PROXY: booleanish.default(false),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_MIGRATION_URL: postgresUrl.optional(),
  DATABASE_CA_FILE: z.string().min(1).optional(),
  REDIS_URL: redisUrl.optional(),
  REDIS_CA_FILE: z.string().min(1).optional(),
  WEB_DIST_DIR: z.string().min(1).optional(),
});

export interface Config {
  mode: 'embedded' | 'production';
  host: string;
  port: number;
  dataDir: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  publicUrl: string | undefined;
  tls:
    | { source: 'dev-ca'; reloadIntervalMs: number }
    | { source: 'files'; certFile: string; keyFile: string; reloadIntervalMs: number }
    | { source: 'proxy' };
  trustProxy: boolean;
  database:
    | { kind: 'sqlite'; file: string }
    | { kind: 'postgres'; url: string; migrationUrl: string | undefined; caFile: string | undefined };
  cache: { kind: 'memory' } | { kind: 'redis'; url: string; caFile: string | undefined };
  webDistDir: string;
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
function resolveSecretFiles(env: Environment, problems: string[]): Environment {
  const resolved: Environment = { ...env };
  for (const name of SECRET_VARIABLES) {
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

const defaultWebDist = () => path.resolve(import.meta.dirname, '../../web/dist');

/** Reads and checks the whole environment; throws ConfigError listing every problem. */
export function loadConfig(rawEnv: Environment): Config {
  const problems: string[] = [];
  const present = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v !== ''));
  const env = resolveSecretFiles(present, problems);
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
  if (problems.length > 0) throw new ConfigError(problems);

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
    tls,
    trustProxy: e.TRUST_PROXY,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          migrationUrl: e.DATABASE_MIGRATION_URL,
          caFile: e.DATABASE_CA_FILE,
        }
      : { kind: 'sqlite', file: path.join(dataDir, 'thestorage.db') },
    cache: e.REDIS_URL ? { kind: 'redis', url: e.REDIS_URL, caFile: e.REDIS_CA_FILE } : { kind: 'memory' },
    webDistDir: e.WEB_DIST_DIR ? path.resolve(e.WEB_DIST_DIR) : defaultWebDist(),
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
