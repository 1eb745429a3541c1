import { pino } from 'pino';
import { ConfigError, loadConfig } from './config';
import { loggerOptions } from './platform/log/logger';
import { TlsConfigError } from './platform/tls/certificate';
import { StartupError, startServer } from './server';

/** Load config → start → run until a signal. Every refusal to start prints its reason and exits 1. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`TheStorage cannot start.\n${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = pino(loggerOptions(config.logLevel));
  try {
    const running = await startServer(config, {
      logger,
      // Said once, on the terminal, when the development CA is first created.
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
      logger.fatal({ code: (err as { code?: string }).code }, err.message);
      process.stderr.write(`TheStorage cannot start: ${err.message}\n`);
    } else {
      logger.fatal({ err }, 'TheStorage cannot start');
    }
    // Let pino flush before leaving.
    setTimeout(() => process.exit(1), 50);
  }
}

void main();
