import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { DAY_MS } from '../../platform/clock';
import { isUuid } from '../../platform/db/ids';
import { type CatalogHarness, START, startCatalogHarness } from './catalog-test-harness';

const attribute = (name: string, extra: object = {}) => ({ name, type: 'text', ...extra });

describe.each(databaseTargets())('Categories on $name', (target) => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalogHarness(target);
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = (payload: object) => h.call('POST', '/categories', payload);
  const listed = async () => (await h.call('GET', '/categories')).json();
  const problemPaths = (res: { json(): { error: { details: { path: string }[] } } }) =>
    res.json().error.details.map((d) => d.path);

  it('DEV-2: a category keeps its name, attributes and append option; every attribute gets an id', async () => {
    h.signIn('operator');
    const res = await create({
      name: '  Laptops ',
      attributes: [
        attribute('Screen', { type: 'number', suffix: '"', required: true }),
        attribute('Chip', { prefix: 'CPU' }),
      ],
      appendToName: true,
    });
    expect(res.statusCode).toBe(200);
    const laptops = res.json();
    expect(laptops).toMatchObject({
      name: 'Laptops',
      appendToName: true,
      deviceCount: 0,
      version: 1,
      attributes: [
        { name: 'Screen', type: 'number', prefix: '', suffix: '"', required: true },
        { name: 'Chip', type: 'text', prefix: 'CPU', suffix: '', required: false },
      ],
    });
    expect(laptops.attributes.every((a: { id: string }) => isUuid(a.id))).toBe(true);
    const list = await listed();
    expect(list.limit).toBeNull();
    expect(list.categories.map((c: { name: string }) => c.name)).toEqual(['Laptops']);
  });

  it('DEV-2: names, attribute count, attribute names, prefixes and suffixes outside their limits are refused', async () => {
    h.signIn('operator');
    const refused = async (payload: object, path: string) => {
      const res = await create(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(problemPaths(res)).toContain(path);
    };
    await refused({ name: 'A' }, 'name');
    await refused({ name: 'x'.repeat(26) }, 'name');
    await refused(
      { name: 'Phones', attributes: Array.from({ length: 7 }, (_, i) => attribute(`A${i}`)) },
      'attributes',
    );
    await refused({ name: 'Phones', attributes: [attribute('X')] }, 'attributes.0.name');
    await refused({ name: 'Phones', attributes: [attribute('y'.repeat(26))] }, 'attributes.0.name');
    await refused(
      { name: 'Phones', attributes: [attribute('Size', { prefix: 'abcdef' })] },
      'attributes.0.prefix',
    );
    await refused(
      { name: 'Phones', attributes: [attribute('Size', { suffix: 'abcdef' })] },
      'attributes.0.suffix',
    );
    await refused(
      { name: 'Phones', attributes: [attribute('Size', { type: 'colour' })] },
      'attributes.0.type',
    );
    // The limits themselves are allowed: 25 characters, 6 attributes, 5-character prefix and suffix.
    const widest = await create({
      name: 'z'.repeat(25),
      attributes: Array.from({ length: 6 }, (_, i) =>
        attribute(`Field ${i}`, { prefix: 'abcde', suffix: 'vwxyz' }),
      ),
    });
    expect(widest.statusCode).toBe(200);
    expect(widest.json().attributes).toHaveLength(6);
  });

  it('DEV-2: attribute names are unique within a category, whatever the case', async () => {
    h.signIn('operator');
    const res = await create({ name: 'Monitors', attributes: [attribute('Size'), attribute(' SIZE ')] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed' });
    expect(problemPaths(res)).toEqual(['attributes.1.name']);
  });

  it('DEV-2: editing keeps the ids sent back for existing attributes, so device values keep matching', async () => {
    h.signIn('operator');
    const phones = (
      await create({ name: 'Phones', attributes: [attribute('Storage'), attribute('Colour')] })
    ).json();
    const [storage, colour] = phones.attributes;
    const edited = await h.call('PATCH', `/categories/${phones.id}`, {
      name: 'Phones',
      attributes: [
        { ...storage, name: 'Storage (GB)', type: 'number' },
        attribute('IMEI'),
        { ...attribute('Carrier'), id: '0190a1b2-9999-7000-8000-00000000dead' },
      ],
      appendToName: false,
      version: phones.version,
    });
    expect(edited.statusCode).toBe(200);
    const after = edited.json().attributes;
    expect(after[0]).toMatchObject({ id: storage.id, name: 'Storage (GB)', type: 'number' });
    expect(after[1].id).not.toBe(colour.id);
    // An id the category never had is not trusted: the attribute gets a fresh one.
    expect(after[2].id).not.toBe('0190a1b2-9999-7000-8000-00000000dead');
    expect(new Set(after.map((a: { id: string }) => a.id)).size).toBe(3);
  });

  it('DEV-2: category names are unique in the tenant whatever the case, and free in another tenant', async () => {
    h.signIn('operator');
    expect((await create({ name: 'Docks' })).statusCode).toBe(200);
    const duplicate = await create({ name: ' dOCKS' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({ code: 'conflict', details: { field: 'name' } });
    const other = (await create({ name: 'Headsets' })).json();
    const renamed = await h.call('PATCH', `/categories/${other.id}`, {
      name: 'DOCKS',
      version: other.version,
    });
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json().error.details).toEqual({ field: 'name' });
    h.signIn('operator', h.tenantB);
    expect((await create({ name: 'Docks' })).statusCode).toBe(200);
  });

  it('DEV-2: the trial has no category limit; on the Free plan after it the 5th category is refused with "Limit reached"', async () => {
    const trial = await h.addTenant('catalog-trial');
    const free = await h.addTenant('catalog-free');
    try {
      h.signIn('operator', trial);
      for (let i = 1; i <= 6; i += 1) expect((await create({ name: `Kind ${i}` })).statusCode).toBe(200);
      expect((await listed()).limit).toBeNull();

      h.clock.advance(31 * DAY_MS);
      h.signIn('operator', free);
      expect((await listed()).limit).toBe(4);
      for (let i = 1; i <= 4; i += 1) expect((await create({ name: `Kind ${i}` })).statusCode).toBe(200);
      const fifth = await create({ name: 'Kind 5' });
      expect(fifth.statusCode).toBe(403);
      expect(fifth.json().error).toMatchObject({
        code: 'limit_reached',
        details: { resource: 'categories', limit: 4 },
      });
      expect(fifth.json().error.message).toMatch(/^Limit reached/);
      expect((await listed()).categories).toHaveLength(4);

      // Past its trial, the tenant that made six keeps and edits them but cannot add one more.
      h.signIn('operator', trial);
      const [first] = (await listed()).categories;
      const edit = await h.call('PATCH', `/categories/${first.id}`, {
        name: 'Kind one',
        version: first.version,
      });
      expect(edit.statusCode).toBe(200);
      expect((await create({ name: 'Kind 7' })).json().error.code).toBe('limit_reached');
    } finally {
      h.clock.set(START);
    }
  });

  it('DEV-2: simultaneous creations cannot pass the plan limit together', async () => {
    const free = await h.addTenant('catalog-race');
    try {
      h.clock.advance(31 * DAY_MS);
      h.signIn('operator', free);
      for (let i = 1; i <= 3; i += 1) await create({ name: `Kind ${i}` });
      const racing = await Promise.all([4, 5, 6, 7].map((i) => create({ name: `Kind ${i}` })));
      expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 403, 403, 403]);
      expect((await listed()).categories).toHaveLength(4);
    } finally {
      h.clock.set(START);
    }
  });

  it('DEV-6: of two simultaneous edits from the same version, one is saved and the other refused', async () => {
    h.signIn('operator');
    const cameras = (await create({ name: 'Cameras' })).json();
    const edits = await Promise.all(
      ['Webcams', 'Action cams'].map((name) =>
        h.call('PATCH', `/categories/${cameras.id}`, { name, version: cameras.version }),
      ),
    );
    expect(edits.map((e) => e.statusCode).sort()).toEqual([200, 409]);
    const saved = edits.find((e) => e.statusCode === 200)!.json();
    const now = (await listed()).categories.find((c: { id: string }) => c.id === cameras.id);
    expect(now).toMatchObject({ name: saved.name, version: 2 });
  });

  it('DEV-6: a category edit or delete based on a stale version is refused and changes nothing', async () => {
    h.signIn('operator');
    const tablets = (await create({ name: 'Tablets' })).json();
    const first = await h.call('PATCH', `/categories/${tablets.id}`, { name: 'Tablets 2', version: 1 });
    expect(first.json()).toMatchObject({ name: 'Tablets 2', version: 2 });
    const stale = await h.call('PATCH', `/categories/${tablets.id}`, { name: 'Slates', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'modified_by_someone_else',
      message: 'Modified by someone else',
      details: { version: 2 },
    });
    const staleDelete = await h.call('DELETE', `/categories/${tablets.id}?version=1`);
    expect(staleDelete.statusCode).toBe(409);
    expect(staleDelete.json().error.code).toBe('modified_by_someone_else');
    expect((await h.call('DELETE', `/categories/${tablets.id}`)).statusCode).toBe(400);
    const now = (await listed()).categories.find((c: { id: string }) => c.id === tablets.id);
    expect(now).toMatchObject({ name: 'Tablets 2', version: 2 });
    expect((await h.call('DELETE', `/categories/${tablets.id}?version=2`)).statusCode).toBe(204);
    expect((await h.call('DELETE', `/categories/${tablets.id}?version=2`)).statusCode).toBe(404);
  });

  it('DEV-2: a category that devices use shows their count and cannot be deleted', async () => {
    h.signIn('operator');
    const servers = (await create({ name: 'Servers' })).json();
    await h.insertDevice(h.tenantA, { categoryId: servers.id });
    await h.insertDevice(h.tenantA, { categoryId: servers.id });
    const shown = (await listed()).categories.find((c: { id: string }) => c.id === servers.id);
    expect(shown.deviceCount).toBe(2);
    const refused = await h.call('DELETE', `/categories/${servers.id}?version=${servers.version}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'conflict', details: { deviceCount: 2 } });
    expect(refused.json().error.message).toContain('2 devices use this category');
    expect((await listed()).categories.some((c: { id: string }) => c.id === servers.id)).toBe(true);
  });

  it('SEC-7: creating, editing and deleting a category each record one audit event with field changes', async () => {
    h.signIn('operator');
    const printers = (await create({ name: 'Printers', attributes: [attribute('Colour')] })).json();
    await h.call('PATCH', `/categories/${printers.id}`, {
      name: 'Printers & scanners',
      attributes: printers.attributes,
      version: 1,
    });
    await h.call('DELETE', `/categories/${printers.id}?version=2`);
    const events = (await h.auditEvents(h.tenantA)).filter((e) => e.targetId === printers.id);
    expect(events.map((e) => e.action)).toEqual(['category.created', 'category.updated', 'category.deleted']);
    expect(events.every((e) => e.targetType === 'category' && e.actorEmail === 'olga@example.com')).toBe(
      true,
    );
    expect(events[0]!.changes).toEqual([
      { field: 'name', before: null, after: 'Printers' },
      { field: 'attributes', before: null, after: printers.attributes },
      { field: 'appendToName', before: null, after: false },
    ]);
    expect(events[1]!.changes).toEqual([{ field: 'name', before: 'Printers', after: 'Printers & scanners' }]);
    expect(events[2]!.changes).toEqual([
      { field: 'name', before: 'Printers & scanners', after: null },
      { field: 'attributes', before: printers.attributes, after: null },
      { field: 'appendToName', before: false, after: null },
    ]);
  });
});
