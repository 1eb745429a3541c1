import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeMicrosoftGraph,
  startFakeMicrosoftGraph,
} from '../../../../../../test/fakes/microsoft-graph';
import { collectSync, rejectionOf } from '../entra/entra-test-support';
import { DirectoryConnectionError } from '../types';
import { type ConnectorSpec, createConnectorFactory, mayReachPrivateAddresses } from './connector-factory';

let graph: FakeMicrosoftGraph;
beforeAll(async () => {
  graph = await startFakeMicrosoftGraph();
  graph.seedUsers(3);
});
afterAll(() => graph.close());

const specFor = (g: FakeMicrosoftGraph): ConnectorSpec => ({
  kind: 'entra',
  settings: {
    directoryTenantId: g.tenantId,
    clientId: g.clientId,
    authorityBaseUrl: g.tokenBaseUrl,
    graphBaseUrl: g.graphBaseUrl,
  },
  credential: g.clientSecret,
});

describe('which addresses a directory connection may reach', () => {
  it('SEC-5: by default a connection pointed at a loopback address is refused before any request', async () => {
    const before = graph.requests.length;
    const connector = createConnectorFactory({ caPem: graph.caPem, sleep: async () => {} })(specFor(graph));
    const error = await rejectionOf(collectSync(connector));
    expect(error).toBeInstanceOf(DirectoryConnectionError);
    expect(graph.requests.length).toBe(before);
  });

  it('SEC-5: the same connection syncs when its origin is trusted (the demo directory of this server)', async () => {
    const origins = [new URL(graph.graphBaseUrl).origin, new URL(graph.tokenBaseUrl).origin];
    const factory = createConnectorFactory({
      caPem: graph.caPem,
      sleep: async () => {},
      addresses: { trustedOrigins: () => origins },
    });
    const { pages } = await collectSync(factory(specFor(graph)));
    expect(pages.flatMap((p) => p.people)).toHaveLength(3);
  });

  it('SEC-5: trust needs every URL at a trusted origin; a Google key naming its own token URL is never trusted', () => {
    const trusted = { trustedOrigins: () => ['https://localhost:8443'] };
    const both = { authorityBaseUrl: 'https://localhost:8443/a', graphBaseUrl: 'https://localhost:8443/g' };
    expect(mayReachPrivateAddresses(trusted, 'entra', both)).toBe(true);
    expect(
      mayReachPrivateAddresses(trusted, 'entra', { ...both, authorityBaseUrl: 'https://10.0.0.1/a' }),
    ).toBe(false);
    expect(mayReachPrivateAddresses(trusted, 'entra', { graphBaseUrl: both.graphBaseUrl })).toBe(false);
    expect(
      mayReachPrivateAddresses(trusted, 'google', { directoryBaseUrl: 'https://localhost:8443/d' }),
    ).toBe(false);
    expect(mayReachPrivateAddresses(undefined, 'entra', both)).toBe(false);
    expect(mayReachPrivateAddresses({ allowPrivateAddresses: true }, 'google', {})).toBe(true);
  });
});
