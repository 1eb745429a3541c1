import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = join(webRoot, 'dist', 'index.html');

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestChange(join(path, entry))),
    stats.mtimeMs,
  );
}

/** The browser tests run against the built app: rebuild it when any source is newer than dist. */
export default async function setup(): Promise<void> {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((entry) => join(webRoot, entry));
  const sourceTime = Math.max(...sources.filter((source) => existsSync(source)).map(newestChange));
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sourceTime) return;
  await build({ configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
}
