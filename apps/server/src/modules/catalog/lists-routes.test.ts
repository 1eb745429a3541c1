import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { withTenant } from '../../platform/db/tenant-scope';
import { type CatalogHarness, deviceRow, deviceTagIds, startCatalogHarness } from './catalog-test-harness';

/** One valid body per list, named as asked. */
const bodies = {
  places: (name: string) => ({ name }),
  tags: (name: string) => ({ name, color: 'teal' }),
  vendors: (name: string) => ({ name, website: null }),
} as const;
type List = keyof typeof bodies;
const LISTS = Object.keys(bodies) as List[];

describe.each(databaseTargets())('Places, tags and vendors on $name', (target) => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalogHarness(target);
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = async (list: List, name: string, extra: object = {}) => {
    const res = await h.call('POST', `/${list}`, { ...bodies[list](name), ...extra });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const entries = async (list: List) => (await h.call('GET', `/${list}`)).json()[list];
  const entry = async (list: List, id: string) =>
    (await entries(list)).find((e: { id: string }) => e.id === id);

  it('DEV-11: places, tags and vendors are listed by name with how many devices use each', async () => {
    h.signIn('operator');
    const hq = await create('places', 'Headquarters');
    await create('places', 'Annex');
    const loaner = await create('tags', 'Loaner', { color: 'orange' });
    const dell = await create('vendors', 'Dell', { website: 'https://www.dell.com' });
    await h.insertDevice(h.tenantA, { placeId: hq.id, vendorId: dell.id, tagIds: [loaner.id] });
    expect((await entries('places')).map((p: { name: string }) => p.name)).toEqual(['Annex', 'Headquarters']);
    expect(await entry('places', hq.id)).toMatchObject({
      name: 'Headquarters',
      deviceCount: 1,
      isDefault: false,
    });
    expect(await entry('tags', loaner.id)).toMatchObject({ name: 'Loaner', color: 'orange', deviceCount: 1 });
    expect(await entry('vendors', dell.id)).toMatchObject({
      name: 'Dell',
      website: 'https://www.dell.com',
      deviceCount: 1,
    });
  });

  it('DEV-11: a tag colour outside the palette, a vendor website that is not http(s) and short names are refused', async () => {
    h.signIn('operator');
    const refused = async (list: List, payload: object, path: string) => {
      const res = await h.call('POST', `/${list}`, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await refused('tags', { name: 'Broken', color: 'chartreuse' }, 'color');
    await refused('vendors', { name: 'Acme', website: 'ftp://acme.example' }, 'website');
    await refused('vendors', { name: 'Acme', website: 'javascript:alert(1)' }, 'website');
    for (const list of LISTS) await refused(list, bodies[list]('x'), 'name');
    expect((await create('vendors', 'No Site')).website).toBeNull();
  });

  it('DEV-11: place, tag and vendor names are unique per tenant whatever the case', async () => {
    h.signIn('operator');
    for (const list of LISTS) {
      await create(list, 'Unique Name');
      const duplicate = await h.call('POST', `/${list}`, bodies[list]('  unique NAME '));
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json().error).toMatchObject({ code: 'conflict', details: { field: 'name' } });
    }
  });

  it('DEV-11: a place with devices cannot be deleted until they are reassigned', async () => {
    h.signIn('operator');
    const storeroom = await create('places', 'Storeroom');
    const devices = await Promise.all(
      [1, 2, 3].map(() => h.insertDevice(h.tenantA, { placeId: storeroom.id })),
    );
    const refused = await h.call('DELETE', `/places/${storeroom.id}?version=1`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toEqual({
      code: 'conflict',
      message: 'Reassign its 3 devices before deleting this place',
      details: { deviceCount: 3 },
    });
    expect(await entry('places', storeroom.id)).toMatchObject({ deviceCount: 3, version: 1 });
    // Back to IT (what the devices module does on reassignment); then the place can go.
    await withTenant(h.t.handle, h.tenantA, (trx) =>
      trx
        .updateTable('devices')
        .set({ place_id: null, assignee_kind: 'it' })
        .where('id', 'in', devices)
        .execute(),
    );
    expect((await h.call('DELETE', `/places/${storeroom.id}?version=1`)).statusCode).toBe(204);
    expect(await entry('places', storeroom.id)).toBeUndefined();
  });

  it('DEV-11: deleting a tag takes it off every device and leaves the devices and other tags alone', async () => {
    h.signIn('operator');
    const broken = await create('tags', 'Broken screen', { color: 'red' });
    const keep = await create('tags', 'Keep me', { color: 'green' });
    const first = await h.insertDevice(h.tenantA, { tagIds: [broken.id, keep.id] });
    const second = await h.insertDevice(h.tenantA, { tagIds: [broken.id] });
    expect((await entry('tags', broken.id)).deviceCount).toBe(2);
    expect((await h.call('DELETE', `/tags/${broken.id}?version=1`)).statusCode).toBe(204);
    expect(await deviceTagIds(h, h.tenantA, first)).toEqual([keep.id]);
    expect(await deviceTagIds(h, h.tenantA, second)).toEqual([]);
    expect(await deviceRow(h, h.tenantA, second)).toBeDefined();
  });

  it('DEV-11: deleting a vendor leaves its devices in place without a vendor', async () => {
    h.signIn('operator');
    const lenovo = await create('vendors', 'Lenovo', { website: 'http://lenovo.example' });
    const device = await h.insertDevice(h.tenantA, { vendorId: lenovo.id });
    expect((await h.call('DELETE', `/vendors/${lenovo.id}?version=1`)).statusCode).toBe(204);
    expect((await deviceRow(h, h.tenantA, device))?.vendor_id).toBeNull();
  });

  it('DEV-6: a stale edit or delete of a place, tag or vendor is refused and changes nothing', async () => {
    h.signIn('operator');
    for (const list of LISTS) {
      const created = await create(list, `Stale ${list}`);
      const edited = await h.call('PATCH', `/${list}/${created.id}`, {
        ...bodies[list](`Fresh ${list}`),
        version: 1,
      });
      expect(edited.json()).toMatchObject({ name: `Fresh ${list}`, version: 2 });
      const stale = await h.call('PATCH', `/${list}/${created.id}`, {
        ...bodies[list](`Old ${list}`),
        version: 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({
        code: 'modified_by_someone_else',
        message: 'Modified by someone else',
      });
      const staleDelete = await h.call('DELETE', `/${list}/${created.id}?version=1`);
      expect(staleDelete.statusCode).toBe(409);
      expect(await entry(list, created.id)).toMatchObject({ name: `Fresh ${list}`, version: 2 });
    }
  });

  it('SEC-7: every write to places, tags and vendors records one audit event with field changes', async () => {
    h.signIn('operator');
    const tag = await create('tags', 'Audited tag', { color: 'blue' });
    await h.call('PATCH', `/tags/${tag.id}`, { name: 'Audited tag', color: 'grape', version: 1 });
    await h.call('DELETE', `/tags/${tag.id}?version=2`);
    const vendor = await create('vendors', 'Audited vendor');
    await h.call('PATCH', `/vendors/${vendor.id}`, {
      name: 'Audited vendor',
      website: 'https://v.example',
      version: 1,
    });
    const place = await create('places', 'Audited place');
    await h.call('PATCH', `/places/${place.id}`, { name: 'Audited room', version: 1 });
    await h.call('DELETE', `/places/${place.id}?version=2`);

    const events = await h.auditEvents(h.tenantA);
    const of = (id: string) => events.filter((e) => e.targetId === id);
    expect(of(tag.id).map((e) => [e.action, e.changes])).toEqual([
      [
        'tag.created',
        [
          { field: 'name', before: null, after: 'Audited tag' },
          { field: 'color', before: null, after: 'blue' },
        ],
      ],
      ['tag.updated', [{ field: 'color', before: 'blue', after: 'grape' }]],
      [
        'tag.deleted',
        [
          { field: 'name', before: 'Audited tag', after: null },
          { field: 'color', before: 'grape', after: null },
        ],
      ],
    ]);
    expect(of(vendor.id).map((e) => [e.action, e.changes])).toEqual([
      ['vendor.created', [{ field: 'name', before: null, after: 'Audited vendor' }]],
      ['vendor.updated', [{ field: 'website', before: null, after: 'https://v.example' }]],
    ]);
    expect(of(place.id).map((e) => e.action)).toEqual(['place.created', 'place.updated', 'place.deleted']);
    expect(of(place.id)[1]!.changes).toEqual([
      { field: 'name', before: 'Audited place', after: 'Audited room' },
    ]);
    expect(of(place.id).every((e) => e.targetType === 'place')).toBe(true);
  });
});
