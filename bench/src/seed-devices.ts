import { sql } from 'kysely';
import { searchTextOf } from '../../apps/server/src/modules/devices/repo';
import type { DatabaseHandle } from '../../apps/server/src/platform/db/connect';
import { newId } from '../../apps/server/src/platform/db/ids';
import type { DevicesTable } from '../../apps/server/src/platform/db/schema';
import { withSystem, withTenant } from '../../apps/server/src/platform/db/tenant-scope';

const MODELS = [
  'MacBook Pro 16',
  'MacBook Air 13',
  'ThinkPad T14',
  'ThinkPad X1 Carbon',
  'Latitude 7450',
  'iPhone 15',
  'Galaxy S24',
  'Pixel 8',
  'Dell U2723QE',
  'LG 34WN80C',
  'Universal Dock',
  'Jabra Evolve2 65',
];
const STATUSES = [
  'in_use',
  'in_use',
  'in_use',
  'in_use',
  'used',
  'new',
  'in_service',
  'damaged',
  'missing',
  'eol',
];
const BATCH = 1_000;

/** A seeded generator (mulberry32), so every run measures the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Adds `count` devices to a tenant with bulk inserts (not the API: this is the data the benchmark measures
 * against, not what it measures), spread over its categories, places, tags, vendors and employees.
 */
export async function seedDevices(handle: DatabaseHandle, slug: string, count: number): Promise<void> {
  const tenant = await withSystem(handle, (trx) =>
    trx.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow(),
  );
  const tenantId = String(tenant.id);
  const next = random(9_100_000);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  await withTenant(handle, tenantId, async (trx) => {
    const ids = async (table: 'categories' | 'places' | 'tags' | 'vendors') =>
      (await trx.selectFrom(table).select('id').where('tenant_id', '=', tenantId).execute()).map((r) => r.id);
    const [categories, places, tags, vendors] = await Promise.all([
      ids('categories'),
      ids('places'),
      ids('tags'),
      ids('vendors'),
    ]);
    const employees = (
      await trx
        .selectFrom('devices')
        .select('employee_ref')
        .distinct()
        .where('tenant_id', '=', tenantId)
        .where('employee_ref', 'is not', null)
        .execute()
    ).map((r) => r.employee_ref!);
    const settings = await trx
      .selectFrom('inventory_settings')
      .select('next_device_number')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    let number = Number(settings.next_device_number);
    const started = Date.now() - 3 * 365 * 86_400_000;
    for (let done = 0; done < count; done += BATCH) {
      const rows: (DevicesTable & { id: string })[] = [];
      const deviceTags: { tenant_id: string; device_id: string; tag_id: string }[] = [];
      for (let i = done; i < Math.min(count, done + BATCH); i++, number++) {
        const name = `${pick(MODELS)} ${number.toString(36)}`;
        const status = pick(STATUSES);
        const kind = status === 'in_use' ? (next() < 0.85 ? 'employee' : 'place') : 'it';
        const serial = `SN-${number.toString(36).toUpperCase()}`;
        const barcode = `BEN-${String(number).padStart(7, '0')}`;
        const at = new Date(started + (i / count) * 3 * 365 * 86_400_000).toISOString();
        const warranty = new Date(started + (i / count + 2.5) * 365 * 86_400_000 * (0.9 + next() * 0.2));
        const id = newId();
        rows.push({
          id,
          tenant_id: tenantId,
          number,
          name,
          name_key: name.toLowerCase(),
          serial,
          serial_key: serial.toLowerCase(),
          category_id: pick(categories),
          attribute_values: '{}',
          status,
          ever_assigned: kind === 'it' && status === 'new' ? 0 : 1,
          assignee_kind: kind,
          employee_ref: kind === 'employee' && employees.length ? pick(employees) : null,
          place_id: kind === 'place' ? pick(places) : null,
          barcode,
          barcode_key: barcode.toLowerCase(),
          price: `${Math.round(200 + next() * 2300)}.00`,
          currency: 'EUR',
          vendor_id: pick(vendors),
          invoice_number: `INV-${Math.floor(number / 10)}`,
          invoice_date: at.slice(0, 10),
          po_extension: null,
          warranty_end: warranty.toISOString().slice(0, 10),
          invoice_file_id: null,
          image_file_id: null,
          search_text: searchTextOf(number, { name, serial, barcode }),
          created_at: at,
          updated_at: at,
          version: 1,
        });
        if (tags.length && next() < 0.15)
          deviceTags.push({ tenant_id: tenantId, device_id: id, tag_id: pick(tags) });
      }
      await trx.insertInto('devices').values(rows).execute();
      if (deviceTags.length) await trx.insertInto('device_tags').values(deviceTags).execute();
    }
    await trx
      .updateTable('inventory_settings')
      .set({ next_device_number: number })
      .where('tenant_id', '=', tenantId)
      .execute();
  });
  // PostgreSQL: fresh statistics, as autovacuum gathers after a bulk load, so the planner sees the rows.
  if (handle.dialect === 'postgres') await sql`analyze`.execute(handle.db);
}
