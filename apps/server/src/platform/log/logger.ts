import type { LoggerOptions } from 'pino';

/** Paths pino blanks in every log line: credentials, cookies, tokens and anything named like a secret. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.clientSecret',
  '*.apiKey',
  '*.privateKey',
  '*.pin',
  'keyProvider.pin',
  'keyProvider.auth.clientSecret',
  'keyProvider.auth.header',
  '*.connectionString',
  '*.databaseUrl',
  '*.redisUrl',
  '*.dataKey',
  '*.wrappedKey',
  '*.wrapped_key',
  '*.linkKey',
  '*.sealedValue',
  '*.sealed_value',
  '*.secretValue',
  '*.licenseKey',
  '*.license_key',
  '*.licenceKey',
  '*.plaintext',
  'password',
  'secret',
  'token',
  'clientSecret',
  'privateKey',
  'dataKey',
  'licenseKey',
  'plaintext',
];

/** Connection strings with credentials inside, wherever they appear in a message. */
const CREDENTIAL_IN_URL = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi;

export function scrubSecrets(text: string): string {
  return text.replace(CREDENTIAL_IN_URL, '$1***@');
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: {
      log(object) {
        // Error messages from drivers sometimes echo the connection string back.
        const err = object.err as { message?: string } | undefined;
        if (err && typeof err.message === 'string') err.message = scrubSecrets(err.message);
        return object;
      },
    },
    serializers: {
      req(request: {
        method: string;
        url: string;
        id: string;
        ip?: string;
        headers?: Record<string, unknown>;
      }) {
        return {
          method: request.method,
          // The path only: query strings carry search terms (people's names in the assign picker).
          url: request.url.split('?')[0],
          requestId: request.id,
          ip: request.ip,
          userAgent: request.headers?.['user-agent'],
        };
      },
    },
  };
}
