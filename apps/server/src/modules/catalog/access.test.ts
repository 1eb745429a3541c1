import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { type CatalogHarness, startCatalogHarness } from './catalog-test-harness';

/** A valid new entry of each list. */
const samples = {
  categories: { name: 'Laptops', attributes: [{ name: 'Screen', type: 'number' }] },
  places: { name: 'Berlin office' },
  tags: { name: 'Loaner', color: 'cyan' },
  vendors: { name: 'Dell', website: 'https://dell.example' },
} as const;
type List = keyof typeof samples;
const LISTS = Object.keys(samples) as List[];

describe.each(databaseTargets())('Catalog access and tenant isolation on $name', (target) => {
  let h: CatalogHarness;
  /** Tenant B's entries, made by B's Administrator. */
  const ofB = {} as Record<List, { id: string; name: string; version: number }>;

  beforeAll(async () => {
    h = await startCatalogHarness(target);
    h.signIn('administrator', h.tenantB);
    for (const list of LISTS) ofB[list] = (await h.call('POST', `/${list}`, samples[list])).json();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('API-2: every catalog route is in the OpenAPI document with its tag, body and query', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    for (const list of LISTS) {
      expect(Object.keys(doc.paths[`/api/v1/${list}`]).sort()).toEqual(['get', 'post']);
      expect(doc.paths[`/api/v1/${list}`].post.tags).toEqual([list]);
      const byId = doc.paths[`/api/v1/${list}/{id}`];
      expect(Object.keys(byId).sort()).toEqual(['delete', 'patch']);
      expect(byId.delete.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['id', 'version']);
      expect(byId.patch.requestBody.content['application/json'].schema.required).toContain('version');
    }
    expect(Object.keys(doc.paths['/api/v1/inventory-settings']).sort()).toEqual(['get', 'put']);
  });

  it('ROLE-1, DEV-11: a Viewer reads every list and the settings but cannot write (403); an Employee reads nothing', async () => {
    h.signIn('operator');
    const mine = {} as Record<List, { id: string }>;
    for (const list of LISTS) mine[list] = (await h.call('POST', `/${list}`, samples[list])).json();

    h.signIn('viewer');
    for (const list of LISTS) {
      const read = await h.call('GET', `/${list}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()[list].map((e: { id: string }) => e.id)).toEqual([mine[list].id]);
      const writes = [
        await h.call('POST', `/${list}`, { ...samples[list], name: 'Viewer made' }),
        await h.call('PATCH', `/${list}/${mine[list].id}`, {
          ...samples[list],
          name: 'Viewer edit',
          version: 1,
        }),
        await h.call('DELETE', `/${list}/${mine[list].id}?version=1`),
      ];
      expect(writes.map((w) => w.statusCode)).toEqual([403, 403, 403]);
      expect(writes[0]!.json().error.code).toBe('forbidden');
      expect((await h.call('GET', `/${list}`)).json()[list]).toMatchObject([
        { name: samples[list].name, version: 1 },
      ]);
    }
    expect((await h.call('GET', '/inventory-settings')).statusCode).toBe(200);

    h.signIn('employee');
    for (const list of LISTS) expect((await h.call('GET', `/${list}`)).statusCode).toBe(403);
  });

  it("SEC-8: as tenant A, every route given tenant B's ids answers 404 and B is unchanged", async () => {
    h.signIn('administrator');
    for (const list of LISTS) {
      const entry = ofB[list];
      const edit = await h.call('PATCH', `/${list}/${entry.id}`, {
        ...samples[list],
        name: 'Taken over',
        version: 1,
      });
      expect(edit.statusCode).toBe(404);
      expect(edit.json().error.code).toBe('not_found');
      expect((await h.call('DELETE', `/${list}/${entry.id}?version=1`)).statusCode).toBe(404);
      const listedInA = (await h.call('GET', `/${list}`)).json()[list].map((e: { id: string }) => e.id);
      expect(listedInA).not.toContain(entry.id);
    }
    const settingsA = (await h.call('GET', '/inventory-settings')).json();
    const borrowPlace = await h.call('PUT', '/inventory-settings', {
      defaultPlaceId: ofB.places.id,
      barcodeMode: 'disabled',
      barcodePrefix: '',
      barcodeDigits: 6,
      version: settingsA.version,
    });
    expect(borrowPlace.statusCode).toBe(404);
    expect((await h.call('GET', '/inventory-settings')).json()).toEqual(settingsA);

    h.signIn('administrator', h.tenantB);
    for (const list of LISTS) {
      expect((await h.call('GET', `/${list}`)).json()[list]).toEqual([
        expect.objectContaining({ id: ofB[list].id, name: ofB[list].name, version: 1 }),
      ]);
    }
    const eventsOfB = await h.auditEvents(h.tenantB);
    expect(eventsOfB.map((e) => e.action)).toEqual([
      'category.created',
      'place.created',
      'tag.created',
      'vendor.created',
    ]);
  });
});
