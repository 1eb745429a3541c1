import { pino } from 'pino';
import { type Config, ConfigError, loadConfig, loadKeyProviderSettings } from './config';
import { systemClock } from './platform/clock';
import type { KeyProvider } from './platform/crypto/key-provider';
import { createKeyProvider } from './platform/crypto/key-provider-factory';
import { resolveSecretReferences } from './platform/crypto/secret-references';
import { loggerOptions } from './platform/log/logger';
import { TlsConfigError } from './platform/tls/certificate';
import { StartupError, startServer } from './server';

/**
 * The key provider comes first: `secret:` references in the environment are resolved through it.
 * A broken configuration reports every problem it can find at once.
 */
async function configure(env: NodeJS.ProcessEnv): Promise<{ config: Config; keyProvider: KeyProvider }> {
  let settings: ReturnType<typeof loadKeyProviderSettings>;
  try {
    settings = loadKeyProviderSettings(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const problems = [...err.problems];
    try {
      loadConfig(env);
    } catch (rest) {
      if (rest instanceof ConfigError) problems.push(...rest.problems.filter((p) => !problems.includes(p)));
    }
    throw new ConfigError(problems);
  }
  const keyProvider = createKeyProvider(settings, { clock: systemClock });
  try {
    return { config: loadConfig(await resolveSecretReferences(env, keyProvider)), keyProvider };
  } catch (err) {
    await keyProvider.close();
    throw err;
  }
}

/** Configure → start → run until a signal. Every refusal to start prints its reason and exits 1. */
async function main() {
  let configured: Awaited<ReturnType<typeof configure>>;
  try {
    configured = await configure(process.env);
  } catch (err) {
    process.stderr.write(`TheStorage cannot start.\n${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const { config, keyProvider } = configured;
  const logger = pino(loggerOptions(config.logLevel));
  try {
    const running = await startServer(config, {
      logger,
      keyProvider,
      announce: (text) => process.stderr.write(`\n${text}\n\n`),
    });
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    if (err instanceof TlsConfigError || err instanceof StartupError) {
      logger.fatal({ code: err.code }, err.message);
      process.stderr.write(`TheStorage cannot start: ${err.message}\n`);
    } else {
      logger.fatal({ err }, 'TheStorage cannot start');
    }
    // Let pino flush before leaving.
    setTimeout(() => process.exit(1), 50);
  }
}

void main();
