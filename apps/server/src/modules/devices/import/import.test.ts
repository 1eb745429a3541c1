import type { DeviceImport } from '@thestorage/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../../test/support/databases';
import { DAY_MS } from '../../../platform/clock';
import { withSystem, withTenant } from '../../../platform/db/tenant-scope';
import { createRepos } from '../../../repos';
import { type DevicesHarness, startDevicesHarness } from '../devices-test-harness';
import { CSV, csvOf, importClient, tenantState, XLSX, xlsxOf } from './import-test-support';
import { ABANDONED_IMPORT_DAYS, expireAbandonedImports } from './service';

const HEADER = [
  'Name',
  'Serial number',
  'Category',
  'Status',
  'Assigned to',
  'Price',
  'Currency',
  'Warranty end',
  'Tags',
];

describe.each(databaseTargets())('device import on $name', (target) => {
  let h: DevicesHarness;
  let client: ReturnType<typeof importClient>;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
    client = importClient(h);
  });
  afterAll(() => h?.close());

  const devicesWhere = (tenantId: string, serials: string[]) =>
    withTenant(h.t.handle, tenantId, (trx) =>
      trx
        .selectFrom('devices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where(
          'serial_key',
          'in',
          serials.map((s) => s.toLowerCase()),
        )
        .orderBy('number')
        .execute(),
    );

  it('DEV-12: headers are matched whatever their case, spacing or common synonym; the rest is ignored', async () => {
    h.signIn('operator');
    const file = csvOf([
      ['Device Name', 'serial_no', 'TYPE', 'Assigned To', 'Purchase price', 'Warranty', 'Notes', 'Colour'],
      ['MacBook Air', 'MA-1', 'Laptop', 'IT', '999.00', '2027-01-31', 'spare', 'silver'],
    ]);
    const item = await client.uploaded(file, 'assets.csv');
    expect(item.status).toBe('uploaded');
    expect(item.columns.map((c) => [c.header, c.field, c.sample])).toEqual([
      ['Device Name', 'name', 'MacBook Air'],
      ['serial_no', 'serial', 'MA-1'],
      ['TYPE', 'category', 'Laptop'],
      ['Assigned To', 'assigned', 'IT'],
      ['Purchase price', 'price', '999.00'],
      ['Warranty', 'warrantyEnd', '2027-01-31'],
      ['Notes', 'comment', 'spare'],
      ['Colour', 'ignore', 'silver'],
    ]);
    const template = await h.download('/device-imports/template?format=csv');
    expect(template.status).toBe(200);
    expect(template.headers['content-disposition']).toContain('device-import-template.csv');
    const headers = template.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(',');
    expect(headers.slice(0, 3)).toEqual(['Name', 'Serial number', 'Category']);
    // The template re-imports as itself: every header maps to its field.
    const back = await client.uploaded(csvOf([headers, ['Dock', 'TPL-1']]), 'template.csv');
    expect(back.columns.every((c) => c.field !== 'ignore')).toBe(true);
  });

  it('DEV-12: the dry run lists each problem with its row and column and changes nothing; the run is refused until it passes', async () => {
    h.signIn('operator', h.tenantA2);
    const before = await tenantState(h, h.tenantA2);
    const rows = [
      HEADER,
      ['Laptop 1', 'P-1', 'Laptop', 'New', 'IT', '1200', 'EUR', '2027-05-01', 'loaner'],
      ['Laptop 2', 'P-2', 'Laptop', 'Newish', 'IT', '12,00', 'EURO', '31.12.2027', ''],
      ['L', 'P-3', 'Laptop', '', 'nobody@example.com', '', '', '', ''],
      ['Laptop 4', 'P-1', 'Laptop', '', 'Atlantis office', '', '', '', ''],
      ['x'.repeat(101), 'P-5', 'Laptop', '', '', '', '', '', ''],
      ['', 'P-6', '', '', '', '', '', '', ''],
    ];
    const item = await client.check(await client.uploaded(csvOf(rows), 'broken.csv'));
    expect(item.status).toBe('uploaded');
    const seen = item.problems.map((p) => [p.row, p.column, p.code]);
    expect(seen).toEqual(
      expect.arrayContaining([
        [3, 'Status', 'bad_status'],
        [3, 'Price', 'bad_price'],
        [3, 'Currency', 'bad_currency'],
        [3, 'Warranty end', 'bad_date'],
        [4, 'Name', 'bad_name'],
        [4, 'Assigned to', 'unknown_employee'],
        [5, 'Serial number', 'duplicate_serial'],
        [5, 'Assigned to', 'unknown_assignee'],
        [6, 'Name', 'bad_name'],
        [7, 'Name', 'required'],
      ]),
    );
    expect(item.problemCount).toBe(item.problems.length);
    const dateProblem = item.problems.find((p) => p.code === 'bad_date')!;
    expect(dateProblem.message).toContain('YYYY-MM-DD');
    const run = await h.call('POST', `/device-imports/${item.id}/run`, { version: item.version });
    expect(run.status).toBe(409);
    expect(run.body.error.code).toBe('import_not_checked');
    expect(await tenantState(h, h.tenantA2)).toEqual(before);
  });

  it('DEV-12, DEV-1: invoice columns take no values while invoice management is off', async () => {
    h.signIn('administrator', h.tenantA2);
    const settings = (await h.call('GET', '/inventory-settings')).body;
    const off = await h.call('PUT', '/inventory-settings', { ...settings, invoiceManagement: false });
    expect(off.status).toBe(200);
    try {
      const item = await client.check(
        await client.uploaded(
          csvOf([
            ['Name', 'Invoice number', 'Vendor', 'Price'],
            ['Dock', 'INV-1', '', '99'],
            ['Hub', '', 'Bechtle', ''],
            ['Cable', '', '', '5'],
          ]),
          'invoices-off.csv',
        ),
      );
      expect(item.problems.map((p) => [p.row, p.column, p.code])).toEqual([
        [2, 'Invoice number', 'feature_turned_off'],
        [3, 'Vendor', 'feature_turned_off'],
      ]);
      expect(item.problems[0]!.message).toContain('Invoice management is turned off');
    } finally {
      const current = (await h.call('GET', '/inventory-settings')).body;
      expect(
        (await h.call('PUT', '/inventory-settings', { ...current, invoiceManagement: true })).status,
      ).toBe(200);
    }
  });

  it('DEV-12: a run that finds problems the check did not (the tenant changed) ends failed, changing nothing', async () => {
    h.signIn('administrator', h.tenantA2);
    const checked = await client.check(
      await client.uploaded(
        csvOf([
          ['Name', 'Serial', 'Invoice number'],
          ['Late change', 'LC-1', 'INV-9'],
        ]),
        'changed-meanwhile.csv',
      ),
    );
    expect(checked.status).toBe('checked');
    const settings = (await h.call('GET', '/inventory-settings')).body;
    expect(
      (await h.call('PUT', '/inventory-settings', { ...settings, invoiceManagement: false })).status,
    ).toBe(200);
    try {
      const before = await tenantState(h, h.tenantA2);
      const ended = await client.run(checked);
      expect(ended.status).toBe('failed');
      expect(ended.problems.map((p) => [p.row, p.code])).toEqual([[2, 'feature_turned_off']]);
      expect(await tenantState(h, h.tenantA2)).toEqual(before);
      const events = await h.eventsOf(h.tenantA2, checked.id);
      expect(events.map((e) => e.action)).toContain('device_import.failed');
      // The file is gone with the import: running it again is refused, upload it again instead.
      const again = await h.call('POST', `/device-imports/${checked.id}/check`, { version: ended.version });
      expect(again.status).toBe(409);
    } finally {
      const current = (await h.call('GET', '/inventory-settings')).body;
      expect(
        (await h.call('PUT', '/inventory-settings', { ...current, invoiceManagement: true })).status,
      ).toBe(200);
    }
  });

  it('DEV-12, SPEC 9: the run reuses the dry run’s reading of the file; a reading pushed out by another check is read again', async () => {
    h.signIn('administrator', h.tenantA2);
    const jobResultOf = async (item: DeviceImport) => {
      const job = await withSystem(h.t.handle, (trx) =>
        trx.selectFrom('jobs').select('result').where('id', '=', item.jobId!).executeTakeFirstOrThrow(),
      );
      return JSON.parse(job.result!) as { created: number; fileRead: boolean };
    };
    const file = (prefix: string) =>
      csvOf([
        ['Name', 'Serial'],
        [`${prefix} one`, `${prefix}-1`],
        [`${prefix} two`, `${prefix}-2`],
      ]);
    const first = await client.run(await client.check(await client.uploaded(file('KEPT'), 'kept.csv')));
    expect(first.status).toBe('completed');
    expect(await jobResultOf(first)).toMatchObject({ created: 2, fileRead: false });

    const second = await client.check(await client.uploaded(file('PUSHED'), 'pushed.csv'));
    await client.check(await client.uploaded(file('LATER'), 'later.csv'));
    const ended = await client.run(second);
    expect(ended.status).toBe('completed');
    expect(await jobResultOf(ended)).toMatchObject({ created: 2, fileRead: true });
    expect((await devicesWhere(h.tenantA2, ['PUSHED-1', 'PUSHED-2'])).map((d) => d.name)).toEqual([
      'PUSHED one',
      'PUSHED two',
    ]);
  });

  it('DEV-12, SEC-5: an import never run loses its file after 14 days (audited); a recent one is kept', async () => {
    h.signIn('administrator', h.tenantA2);
    const file = csvOf([
      ['Name', 'Serial'],
      ['Forgotten', 'FORGOT-1'],
    ]);
    const uploaded = await client.uploaded(file, 'forgotten.csv');
    const checked = await client.check(await client.uploaded(file, 'forgotten-checked.csv'));
    h.clock.advance(ABANDONED_IMPORT_DAYS * DAY_MS + 60_000);
    try {
      const recent = await client.uploaded(file, 'recent.csv');
      const fileIdOf = (id: string) =>
        withSystem(h.t.handle, (trx) =>
          trx.selectFrom('device_imports').select('file_id').where('id', '=', id).executeTakeFirstOrThrow(),
        );
      const oldFile = (await fileIdOf(uploaded.id)).file_id!;
      const result = await expireAbandonedImports(
        { repos: createRepos(h.t.handle), clock: h.clock },
        { signal: new AbortController().signal },
      );
      expect(result.expired).toBeGreaterThanOrEqual(2);
      for (const item of [uploaded, checked]) {
        const ended = (await h.call('GET', `/device-imports/${item.id}`)).body as DeviceImport;
        expect(ended.status).toBe('failed');
        expect(ended.problems.map((p) => p.code)).toEqual(['expired']);
        expect((await fileIdOf(item.id)).file_id).toBeNull();
        expect((await h.eventsOf(h.tenantA2, item.id)).map((e) => e.action)).toContain(
          'device_import.expired',
        );
      }
      const deleted = await withSystem(h.t.handle, (trx) =>
        trx
          .selectFrom('files')
          .select(['deleted_at', 'purge_after'])
          .where('id', '=', oldFile)
          .executeTakeFirstOrThrow(),
      );
      expect(deleted.deleted_at).not.toBeNull();
      expect((await h.call('GET', `/device-imports/${recent.id}`)).body.status).toBe('uploaded');
      expect((await fileIdOf(recent.id)).file_id).not.toBeNull();
      // The file is gone: checking the expired import again is refused.
      const again = await h.call('POST', `/device-imports/${checked.id}/check`, {
        version: checked.version + 1,
      });
      expect(again.status).toBe(409);
      // Run again the same day: nothing more to do.
      const second = await expireAbandonedImports(
        { repos: createRepos(h.t.handle), clock: h.clock },
        { signal: new AbortController().signal },
      );
      expect(second.expired).toBe(0);
    } finally {
      h.clock.advance(-(ABANDONED_IMPORT_DAYS * DAY_MS + 60_000));
    }
  });

  it('DEV-12, DEV-2: a category the plan has no room for is a problem of its rows', async () => {
    h.signIn('administrator', h.tenantA2);
    // Tenant A2 is on the Free plan: after the trial it may hold 4 categories.
    h.clock.advance(31 * DAY_MS);
    try {
      for (const name of ['Phones', 'Monitors', 'Docks']) {
        expect((await h.call('POST', '/categories', { name })).status).toBe(200);
      }
      const item = await client.check(
        await client.uploaded(
          csvOf([
            ['Name', 'Category'],
            ['Pixel 9', 'Phones'],
            ['ThinkPad', 'Laptops'],
            ['Surface', 'Tablets'],
          ]),
          'limit.csv',
        ),
      );
      expect(item.summary?.newCategories).toEqual(['Laptops', 'Tablets']);
      expect(item.problems.map((p) => [p.row, p.column, p.code])).toEqual([
        [4, 'Category', 'category_limit'],
      ]);
      expect(item.problems[0]!.message).toContain('Limit reached');
    } finally {
      h.clock.advance(-31 * DAY_MS);
    }
  });

  it('DEV-12, DEV-4: "Assigned" assigns employees and places with the automatic statuses; known serials update', async () => {
    h.signIn('administrator');
    const place = await h.call('POST', '/places', { name: 'Munich Office' });
    expect(place.status).toBe(200);
    const [lena, max] = h.people;
    const first = await client.importAll(
      csvOf([
        ['Name', 'Serial', 'Assigned to', 'Category', 'Tags', 'Comment'],
        [
          'ThinkPad T14',
          'AS-1',
          lena!.person.userName.toUpperCase(),
          'Laptop',
          'loaner, new hire',
          'from the 2024 order',
        ],
        ['Dell U2723', 'AS-2', 'munich office', 'Monitor', '', ''],
        ['Pixel 8', 'AS-3', 'IT', '', '', ''],
        ['iPhone 15', 'AS-4', '', '', '', ''],
      ]),
      'assign.csv',
    );
    expect(first.status).toBe('completed');
    expect(first.summary).toMatchObject({ rows: 4, create: 4, update: 0, unchanged: 0 });
    expect(first.summary?.newCategories).toEqual(['Laptop', 'Monitor']);
    expect(first.summary?.newTags).toEqual(['loaner', 'new hire']);
    const created = await devicesWhere(h.tenantA, ['AS-1', 'AS-2', 'AS-3', 'AS-4']);
    expect(created.map((d) => [d.serial, d.assignee_kind, d.status])).toEqual([
      ['AS-1', 'employee', 'in_use'],
      ['AS-2', 'place', 'in_use'],
      ['AS-3', 'it', 'new'],
      ['AS-4', 'it', 'new'],
    ]);
    expect(created[0]!.employee_ref).toBe(lena!.reference);
    expect(created[1]!.place_id).toBe(place.body.id);
    const numbers = created.map((d) => Number(d.number));
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2, numbers[0]! + 3]);

    // Bulk assignment: the known serials are updated; back to IT after an assignment means Used.
    const second = await client.importAll(
      csvOf([
        ['Serial number', 'Employee e-mail', 'Assigned to'],
        ['AS-1', '', 'IT'],
        ['AS-2', max!.person.userName, ''],
        ['AS-3', '', 'Munich Office'],
      ]),
      'reassign.csv',
    );
    expect(second.summary).toMatchObject({ rows: 3, create: 0, update: 3, unchanged: 0 });
    const after = await devicesWhere(h.tenantA, ['AS-1', 'AS-2', 'AS-3', 'AS-4']);
    expect(after.map((d) => [d.serial, d.name, d.assignee_kind, d.status])).toEqual([
      ['AS-1', 'ThinkPad T14', 'it', 'used'],
      ['AS-2', 'Dell U2723', 'employee', 'in_use'],
      ['AS-3', 'Pixel 8', 'place', 'in_use'],
      ['AS-4', 'iPhone 15', 'it', 'new'],
    ]);
    expect(after[1]!.employee_ref).toBe(max!.reference);

    // Every device has its Imported events with the fields, in the device history.
    const history = await h.call('GET', `/devices/${after[0]!.id}/history`);
    expect(history.status).toBe(200);
    const imported = history.body.events.filter((e: { type: string }) => e.type === 'imported');
    expect(imported).toHaveLength(2);
    const fields = imported.flatMap((e: { changes: { field: string }[] }) => e.changes.map((c) => c.field));
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'serial', 'assignee', 'status', 'tags', 'comment']),
    );
  });

  it('DEV-12, DEV-9: list totals count what an import wrote at once (the import raises the devices version)', async () => {
    h.signIn('administrator', h.tenantB);
    // Two matches or more on a page of one: the total is a count, kept until the devices change.
    const total = async () => (await h.call('GET', '/devices?limit=1&search=kept-import')).body.total;
    const names = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => [`Kept-import ${from + i}`]);
    expect((await client.importAll(csvOf([['Name'], ...names(1, 2)]), 'kept-1.csv')).status).toBe(
      'completed',
    );
    expect(await total()).toBe(2);
    expect((await client.importAll(csvOf([['Name'], ...names(3, 5)]), 'kept-2.csv')).status).toBe(
      'completed',
    );
    expect(await total()).toBe(5);
  });

  it('DEV-12: a second identical import changes nothing, and says so before it runs', async () => {
    h.signIn('operator');
    const file = csvOf([
      ['Name', 'Serial', 'Category', 'Status', 'Price', 'Currency', 'Tags', 'Comment'],
      ['Galaxy S24', 'ID-1', 'Phone', 'In-use', '899.90', 'eur', 'field', 'issued'],
      ['Galaxy S23', 'ID-2', 'Phone', 'Damaged', '', '', '', ''],
    ]);
    const first = await client.importAll(file, 'same.csv');
    expect(first.summary).toMatchObject({ create: 2, update: 0 });
    const before = await tenantState(h, h.tenantA);

    const again = await client.check(await client.uploaded(file, 'same-again.csv'));
    expect(again.warnings.join(' ')).toContain('already imported');
    expect(again.summary).toMatchObject({ rows: 2, create: 0, update: 0, unchanged: 2 });
    const second = await client.run(again);
    expect(second.status).toBe('completed');
    expect(second.summary).toMatchObject({ create: 0, update: 0, unchanged: 2 });
    expect(await tenantState(h, h.tenantA)).toEqual(before);
  });

  it('DEV-12: running twice queues one job; editing a running import is refused', async () => {
    h.signIn('operator');
    const checked = await client.check(
      await client.uploaded(
        csvOf([
          ['Name', 'Serial'],
          ['Twice', 'TW-1'],
        ]),
        'twice.csv',
      ),
    );
    const one = await h.call('POST', `/device-imports/${checked.id}/run`, { version: checked.version });
    const two = await h.call('POST', `/device-imports/${checked.id}/run`, { version: checked.version });
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    expect(two.body.jobId).toBe(one.body.jobId);
    const remap = await h.call('PUT', `/device-imports/${checked.id}/mapping`, {
      version: one.body.version,
      columns: [{ index: 0, field: 'ignore' }],
    });
    expect(remap.status).toBe(409);
    while (await client.runner.runOnce()) {
      /* run it */
    }
    expect((await devicesWhere(h.tenantA, ['TW-1'])).length).toBe(1);
  });

  it('DEV-12: the manual mapping step changes what a column feeds; a stale mapping is refused', async () => {
    h.signIn('operator');
    const item = await client.uploaded(
      csvOf([
        ['Model', 'Hersteller-Nr', 'Ablaufdatum'],
        ['Latitude 7440', 'MAP-1', '2028-02-29'],
      ]),
      'german.csv',
    );
    expect(item.columns.map((c) => c.field)).toEqual(['ignore', 'ignore', 'ignore']);
    const mapped = await client.map(item, [
      { index: 0, field: 'name' },
      { index: 1, field: 'serial' },
      { index: 2, field: 'warrantyEnd' },
    ]);
    expect(mapped.columns.map((c) => c.field)).toEqual(['name', 'serial', 'warrantyEnd']);
    const stale = await h.call('PUT', `/device-imports/${item.id}/mapping`, {
      version: item.version,
      columns: [{ index: 0, field: 'serial' }],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('modified_by_someone_else');
    const twice = await h.call('PUT', `/device-imports/${item.id}/mapping`, {
      version: mapped.version,
      columns: [
        { index: 0, field: 'name' },
        { index: 1, field: 'name' },
      ],
    });
    expect(twice.status).toBe(400);
    const done = await client.run(await client.check(mapped));
    expect(done.status).toBe('completed');
    const [device] = await devicesWhere(h.tenantA, ['MAP-1']);
    expect(device).toMatchObject({ name: 'Latitude 7440', warranty_end: '2028-02-29' });
  });

  it('DEV-12: a 10,000-row XLSX imports with its dates and numbers', async () => {
    h.signIn('operator');
    const rows: (string | number | Date | null)[][] = [
      ['Name', 'Serial number', 'Category', 'Price', 'Invoice date', 'Warranty end'],
    ];
    for (let i = 0; i < 10_000; i++) {
      rows.push([
        `Monitor ${i}`,
        `XL-${i}`,
        'Display',
        150 + (i % 50),
        new Date(Date.UTC(2025, i % 12, 1 + (i % 28))),
        `2029-0${1 + (i % 9)}-15`,
      ]);
    }
    const done = await client.importAll(await xlsxOf(rows), 'monitors.xlsx', XLSX);
    expect(done.summary).toMatchObject({ rows: 10_000, create: 10_000 });
    const sample = await devicesWhere(h.tenantA, ['XL-0', 'XL-9999']);
    expect(sample.map((d) => [d.name, d.price, d.invoice_date, d.warranty_end])).toEqual([
      ['Monitor 0', '150', '2025-01-01', '2029-01-15'],
      ['Monitor 9999', '199', '2025-04-04', '2029-01-15'],
    ]);
  });

  it('DEV-12: a 100,000-row CSV imports completely, searchable, one Imported event per device', async () => {
    h.signIn('operator', h.tenantA2);
    const before = await tenantState(h, h.tenantA2);
    const rows = [['Name', 'Serial number', 'Category', 'Status', 'Price', 'Currency']];
    for (let i = 0; i < 100_000; i++) {
      rows.push([
        `Laptop ${i}`,
        `HK-${String(i).padStart(6, '0')}`,
        i % 2 ? 'Laptop' : 'Phones',
        i % 7 ? 'New' : 'Store',
        `${1000 + i}.50`,
        'EUR',
      ]);
    }
    const done = await client.importAll(csvOf(rows), 'hundred-thousand.csv');
    expect(done.status).toBe('completed');
    expect(done.summary).toMatchObject({ rows: 100_000, create: 100_000, update: 0 });
    const after = await tenantState(h, h.tenantA2);
    expect(after.count - before.count).toBe(100_000);
    expect(after.deviceEvents - before.deviceEvents).toBe(100_000);
    const found = await h.call('GET', '/devices?search=hk-099999');
    expect(found.body.devices.map((d: { name: string }) => d.name)).toEqual(['Laptop 99999']);
  }, 120_000);

  it('DEV-12: errors in rows 7 and 90,000 of a large file are both reported, and nothing changes', async () => {
    h.signIn('operator', h.tenantB);
    const before = await tenantState(h, h.tenantB);
    const rows = [['Name', 'Serial number', 'Warranty end']];
    for (let i = 2; i <= 90_001; i++) {
      rows.push([`Device ${i}`, `ER-${i}`, i === 7 ? '2026-13-45' : i === 90_000 ? 'soon' : '2030-01-01']);
    }
    const item = await client.check(await client.uploaded(csvOf(rows), 'errors.csv'));
    expect(item.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [7, 'Warranty end', 'bad_date'],
      [90_000, 'Warranty end', 'bad_date'],
    ]);
    expect(await tenantState(h, h.tenantB)).toEqual(before);
  }, 60_000);

  it('DEV-12, SEC-2: another tenant’s import is not found, and Viewers may not import', async () => {
    h.signIn('operator');
    const item = await client.uploaded(csvOf([['Name'], ['Private']]), 'mine.csv');
    h.signIn('administrator', h.tenantB);
    for (const [method, url, body] of [
      ['GET', `/device-imports/${item.id}`, undefined],
      [
        'PUT',
        `/device-imports/${item.id}/mapping`,
        { version: item.version, columns: [{ index: 0, field: 'name' }] },
      ],
      ['POST', `/device-imports/${item.id}/check`, { version: item.version }],
      ['POST', `/device-imports/${item.id}/run`, { version: item.version }],
    ] as const) {
      const res = await h.call(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect(
      (await h.call('GET', '/device-imports')).body.imports.map((i: { id: string }) => i.id),
    ).not.toContain(item.id);
    h.signIn('viewer');
    expect((await client.upload(csvOf([['Name'], ['Nope']]), 'viewer.csv')).status).toBe(403);
    expect((await h.call('GET', `/device-imports/${item.id}`)).status).toBe(403);
  });

  it('DEV-12: a file that is not CSV or XLSX, or has no header, is refused with a clear message', async () => {
    h.signIn('operator');
    const binary = await client.upload(Buffer.from([0, 1, 2, 3, 0, 0]), 'data.csv');
    expect(binary.status).toBe(400);
    expect(binary.body.error.code).toBe('validation_failed');
    const fakeXlsx = await client.upload(Buffer.from('Name\nLaptop\n'), 'sheet.xlsx', XLSX);
    expect(fakeXlsx.status).toBe(400);
    const pdf = await client.upload(Buffer.from('%PDF-1.4'), 'x.pdf', 'application/pdf');
    expect(pdf.status).toBe(415);
    const empty = await client.upload(Buffer.from('\n\n'), 'empty.csv', CSV);
    expect(empty.status).toBe(400);
    const huge = await client.upload(Buffer.alloc(50 * 1024 * 1024 + 1, 0x61), 'huge.csv', CSV);
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });
});
