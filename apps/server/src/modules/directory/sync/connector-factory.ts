import type { EntraSettings, GoogleSettings } from '@thestorage/contracts';
import type { DirectoryConnectionKind } from '../../../platform/db/schema';
import { createEntraConnector } from '../entra/entra-connector';
import { createGoogleConnector } from '../google/google-connector';
import type { DirectoryConnector } from '../types';

/** What a connector is built from: the stored settings and the credential opened from its sealed secret. */
export interface ConnectorSpec {
  kind: DirectoryConnectionKind;
  settings: Record<string, string>;
  credential: string;
}

export interface ConnectorFactoryOptions {
  /** An extra CA to trust: the fakes in tests, the demo's local Graph. */
  caPem?: string;
  /** How Retry-After and backoff waits happen (tests record them instead of sleeping). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ConnectorFactory = (spec: ConnectorSpec) => DirectoryConnector;

/** Builds the Entra ID or Google Workspace connector; constructing one does no network call. */
export function createConnectorFactory(options: ConnectorFactoryOptions = {}): ConnectorFactory {
  return (spec) => {
    if (spec.kind === 'entra') {
      const settings = spec.settings as EntraSettings;
      return createEntraConnector({
        tenantId: settings.directoryTenantId,
        clientId: settings.clientId,
        clientSecret: spec.credential,
        authorityBaseUrl: settings.authorityBaseUrl,
        graphBaseUrl: settings.graphBaseUrl,
        caPem: options.caPem,
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
    }
    const settings = spec.settings as GoogleSettings;
    return createGoogleConnector({
      serviceAccountKey: spec.credential,
      adminEmail: settings.adminEmail,
      domain: settings.domain,
      tokenUrl: settings.tokenUrl,
      directoryBaseUrl: settings.directoryBaseUrl,
      caPem: options.caPem,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  };
}

/**
 * The identity an employee reference is computed from (SEC-6), the same one their ID token yields:
 * Entra `tid:oid`, Google the user id (`sub`).
 */
export function directoryIdentity(spec: Pick<ConnectorSpec, 'kind' | 'settings'>, directoryId: string) {
  if (spec.kind === 'entra') return `${(spec.settings as EntraSettings).directoryTenantId}:${directoryId}`;
  return directoryId;
}
