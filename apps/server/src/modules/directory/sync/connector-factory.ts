import type { EntraSettings, GoogleSettings } from '@thestorage/contracts';
import { publicOnlyLookup } from '../../../platform/auth/issuer-url-guard';
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
  /** Where a connection may reach besides public addresses; see {@link DirectoryAddressPolicy}. */
  addresses?: DirectoryAddressPolicy;
}

/**
 * Which addresses a directory connection may reach. An Administrator types the base URLs (and a Google
 * key names its own token URL), so by default every request goes to public addresses only: a tenant
 * cannot point the server at its internal network. Tests allow the loopback fakes; the embedded
 * default trusts its own origin, where the development provider serves the demo directory.
 */
export interface DirectoryAddressPolicy {
  allowPrivateAddresses?: boolean;
  /** Origins (`https://host:port`) that may be private, for connections whose URLs all point there. */
  trustedOrigins?: () => readonly string[];
}

/** The base URLs a connection's settings point at (none: the cloud's public defaults). */
export function configuredBaseUrls(
  kind: DirectoryConnectionKind,
  settings: Record<string, string>,
): string[] {
  const keys = kind === 'entra' ? ['authorityBaseUrl', 'graphBaseUrl'] : ['tokenUrl', 'directoryBaseUrl'];
  return keys.flatMap((key) => (typeof settings[key] === 'string' ? [settings[key]] : []));
}

/** Whether a connection may reach private addresses: only when allowed, or when all its URLs are trusted. */
export function mayReachPrivateAddresses(
  policy: DirectoryAddressPolicy | undefined,
  kind: DirectoryConnectionKind,
  settings: Record<string, string>,
): boolean {
  if (policy?.allowPrivateAddresses) return true;
  const trusted = new Set(policy?.trustedOrigins?.() ?? []);
  if (trusted.size === 0) return false;
  // A Google key names its own token URL: trust only a connection that names every URL itself.
  const urls = configuredBaseUrls(kind, settings);
  if (urls.length < 2) return false;
  return urls.every((url) => {
    try {
      return trusted.has(new URL(url).origin);
    } catch {
      return false;
    }
  });
}

export type ConnectorFactory = (spec: ConnectorSpec) => DirectoryConnector;

/** Builds the Entra ID or Google Workspace connector; constructing one does no network call. */
export function createConnectorFactory(options: ConnectorFactoryOptions = {}): ConnectorFactory {
  return (spec) => {
    const lookup = mayReachPrivateAddresses(options.addresses, spec.kind, spec.settings)
      ? undefined
      : publicOnlyLookup();
    if (spec.kind === 'entra') {
      const settings = spec.settings as EntraSettings;
      return createEntraConnector({
        tenantId: settings.directoryTenantId,
        clientId: settings.clientId,
        clientSecret: spec.credential,
        authorityBaseUrl: settings.authorityBaseUrl,
        graphBaseUrl: settings.graphBaseUrl,
        caPem: options.caPem,
        lookup,
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
      lookup,
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
