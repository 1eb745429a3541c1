import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../../../test/support/app';
import type { TestDatabase } from '../../../../../test/support/databases';
import { createMemoryCache } from '../../platform/cache/memory-cache';
import type { ManualClock } from '../../platform/clock';
import { createLinkKeys } from '../../platform/crypto/link-keys';
import { createLocalKeyProvider } from '../../platform/crypto/local-key-provider';
import type { Actor } from '../../platform/http/actor';
import { createRepos } from '../../repos';
import { createDirectoryCache, type DirectoryCache } from '../directory/cache/directory-cache';
import { registerScimRoutes } from './routes';
import { createScimStore } from './scim-store';
import { registerScimTokenRoutes } from './token-routes';

export const PUBLIC_ORIGIN = 'https://storage.example.test';

export interface ScimHarness {
  app: FastifyInstance;
  setActor(actor: Actor | null): void;
  directoryCache: DirectoryCache;
  close(): Promise<void>;
}

/** The app with the SCIM endpoint and token routes wired as app.ts would, on a memory cache. */
export async function startScimHarness(t: TestDatabase, clock: ManualClock): Promise<ScimHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-scim-'));
  const provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
  const linkKeys = createLinkKeys({ provider, clock });
  const cache = createMemoryCache({ clock });
  const directoryCache = createDirectoryCache({ cache, clock });
  const store = createScimStore({ cache, directoryCache, clock });
  const repos = createRepos(t.handle);
  const { app, setActor } = await buildTestApp(t.handle, { clock, cache });
  const publicOrigin = () => PUBLIC_ORIGIN;
  registerScimRoutes(app, { repos, clock, linkKeys, store, publicOrigin });
  await app.register(async (api) => registerScimTokenRoutes(api, { repos, clock, publicOrigin }), {
    prefix: '/api/v1',
  });
  return {
    app,
    setActor,
    directoryCache,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
