import type { FakeMicrosoftGraph } from '../../../../../../test/fakes/microsoft-graph';
import type { DirectoryConnector, DirectoryPage, DirectorySyncResult } from '../types';
import { createEntraConnector, type EntraConnectorOptions } from './entra-connector';

/** A connector pointed at the fake, with Retry-After and backoff waits recorded instead of slept. */
export function connectToFake(graph: FakeMicrosoftGraph, overrides: Partial<EntraConnectorOptions> = {}) {
  const sleeps: number[] = [];
  const connector = createEntraConnector({
    tenantId: graph.tenantId,
    clientId: graph.clientId,
    clientSecret: graph.clientSecret,
    authorityBaseUrl: graph.tokenBaseUrl,
    graphBaseUrl: graph.graphBaseUrl,
    caPem: graph.caPem,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { connector, sleeps };
}

/** Runs one sync and keeps every page it handed over. */
export async function collectSync(
  connector: DirectoryConnector,
  deltaToken?: string | null,
  onEachPage?: (page: DirectoryPage, index: number) => void,
): Promise<{ result: DirectorySyncResult; pages: DirectoryPage[] }> {
  const pages: DirectoryPage[] = [];
  const result = await connector.sync({
    deltaToken,
    onPage: async (page) => {
      onEachPage?.(page, pages.length);
      pages.push(page);
    },
  });
  return { result, pages };
}

/** Resolves to the rejection of `promise`, failing the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the sync to fail');
}
