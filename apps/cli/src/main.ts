#!/usr/bin/env -S node --import tsx
import { parseArgs } from 'node:util';
import { healthSchema } from '@thestorage/contracts';
import { ConnectionError, createHttpsClient } from './https-client';

const USAGE = `Usage: thestorage <command> --server https://host[:port] [--ca ca.pem]

Commands:
  health     show the server's version, mode and TLS certificate status

The server's certificate is always verified (SEC-2); --ca names an extra CA to trust,
for example data/tls/ca.pem of a development server. The environment variable
THESTORAGE_SERVER may replace --server.`;

/** Runs one command; returns the process exit code. Output goes through the given writers. */
export async function run(
  argv: string[],
  io: { out: (text: string) => void; err: (text: string) => void; env: NodeJS.ProcessEnv },
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { server: { type: 'string' }, ca: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command] = parsed.positionals;
  const server = (parsed.values.server as string | undefined) ?? io.env.THESTORAGE_SERVER;
  if (parsed.values.help || !command) {
    io.out(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  if (command !== 'health') {
    io.err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  if (!server) {
    io.err(`--server is required.\n\n${USAGE}`);
    return 2;
  }
  try {
    const client = createHttpsClient({ server, caFile: parsed.values.ca as string | undefined });
    const { status, body } = await client.getJson('/health');
    const health = healthSchema.safeParse(body);
    if (status !== 200 || !health.success) {
      io.err(`The server answered ${status} without a health report.`);
      return 1;
    }
    const { version, mode, tls } = health.data;
    const certificate = tls.notAfter
      ? `valid until ${tls.notAfter} (${tls.daysLeft} days)`
      : 'terminated by a proxy';
    io.out(
      `TheStorage ${version} (${mode}) at ${server}\nTLS certificate: ${certificate}${tls.expiresSoon ? ' — renew it soon' : ''}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConnectionError) {
      io.err(err.message);
      return 3;
    }
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await run(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    env: process.env,
  });
  process.exit(code);
}
