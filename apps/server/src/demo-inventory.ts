import type { AssigneeInput, DeviceStatus } from '@thestorage/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { DEMO_DIRECTORY_TENANT_ID, demoDirectoryUsers } from './demo-directory';
import { assignDevice, createDevice, type DeviceCall, updateDevice } from './modules/devices/service';
import type { DirectoryCache } from './modules/directory/cache/directory-cache';
import type { Clock } from './platform/clock';
import type { LinkKeys } from './platform/crypto/link-keys';
import { newId } from './platform/db/ids';
import type { TenantRow } from './platform/db/schema';
import type { Repos } from './repos';

export interface DemoInventoryDeps {
  repos: Repos;
  clock: Clock;
  linkKeys: LinkKeys;
  directoryCache: DirectoryCache;
  logger: FastifyBaseLogger;
}

export const DEMO_DEVICE_COUNT = 280;
const DAY = 86_400_000;

/** A small seeded generator (mulberry32): the same demo on every fresh start. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

interface Model {
  category: string;
  name: string;
  vendor: string;
  price: string;
  attributes?: Record<string, string | number>;
}

const CATEGORIES = [
  {
    name: 'Laptops',
    appendToName: true,
    attributes: [
      { name: 'Screen', type: 'number' as const, prefix: '', suffix: '"', required: false },
      { name: 'Chip', type: 'text' as const, prefix: '', suffix: '', required: false },
    ],
  },
  {
    name: 'Phones',
    appendToName: false,
    attributes: [{ name: 'Phone number', type: 'text' as const, prefix: '', suffix: '', required: false }],
  },
  {
    name: 'Monitors',
    appendToName: true,
    attributes: [{ name: 'Size', type: 'number' as const, prefix: '', suffix: '"', required: false }],
  },
  { name: 'Accessories', appendToName: false, attributes: [] },
];
const MODELS: Model[] = [
  {
    category: 'Laptops',
    name: 'MacBook Pro',
    vendor: 'Apple',
    price: '2499.00',
    attributes: { Screen: 16, Chip: 'M3 Pro' },
  },
  {
    category: 'Laptops',
    name: 'MacBook Air',
    vendor: 'Apple',
    price: '1299.00',
    attributes: { Screen: 13, Chip: 'M3' },
  },
  {
    category: 'Laptops',
    name: 'ThinkPad T14',
    vendor: 'Lenovo',
    price: '1349.00',
    attributes: { Screen: 14, Chip: 'Core Ultra 7' },
  },
  {
    category: 'Laptops',
    name: 'ThinkPad X1 Carbon',
    vendor: 'Lenovo',
    price: '1899.00',
    attributes: { Screen: 14, Chip: 'Core Ultra 7' },
  },
  {
    category: 'Laptops',
    name: 'Latitude 7450',
    vendor: 'Dell',
    price: '1590.00',
    attributes: { Screen: 14, Chip: 'Core Ultra 5' },
  },
  { category: 'Phones', name: 'iPhone 15', vendor: 'Apple', price: '899.00' },
  { category: 'Phones', name: 'Galaxy S24', vendor: 'Samsung', price: '799.00' },
  { category: 'Phones', name: 'Pixel 8', vendor: 'Google', price: '699.00' },
  { category: 'Monitors', name: 'Dell U2723QE', vendor: 'Dell', price: '579.00', attributes: { Size: 27 } },
  { category: 'Monitors', name: 'LG 34WN80C', vendor: 'LG', price: '499.00', attributes: { Size: 34 } },
  { category: 'Accessories', name: 'ThinkPad Universal Dock', vendor: 'Lenovo', price: '269.00' },
  { category: 'Accessories', name: 'Jabra Evolve2 65', vendor: 'Jabra', price: '219.00' },
];
const PLACES = ['Berlin HQ — IT room', 'Warehouse', 'Meeting room Spree', 'Reception'];
const TAGS = [
  { name: 'Loaner', color: 'teal' as const },
  { name: 'Remote worker', color: 'violet' as const },
  { name: 'Needs update', color: 'orange' as const },
];
const LATER_STATUSES: DeviceStatus[] = ['missing', 'damaged', 'in_service', 'eol', 'charity', 'discarded'];

async function seedCatalog(repos: Repos, tenantId: string, now: Date) {
  return repos.forTenant(tenantId).transaction(async (r) => {
    const categories = new Map<string, { id: string; attributes: Map<string, string> }>();
    for (const c of CATEGORIES) {
      const attributes = c.attributes.map((a) => ({ ...a, id: newId() }));
      const row = await r.categories.create(
        c.name,
        { attributes: JSON.stringify(attributes), append_to_name: c.appendToName ? 1 : 0 },
        now,
      );
      categories.set(c.name, { id: row.id, attributes: new Map(attributes.map((a) => [a.name, a.id])) });
    }
    const places: string[] = [];
    for (const name of PLACES) places.push((await r.places.create(name, {}, now)).id);
    const tags: string[] = [];
    for (const tag of TAGS) tags.push((await r.tags.create(tag.name, { color: tag.color }, now)).id);
    const vendors = new Map<string, string>();
    for (const name of [...new Set(MODELS.map((m) => m.vendor))]) {
      vendors.set(name, (await r.vendors.create(name, { website: null }, now)).id);
    }
    // Company Device IDs, as many organizations label their assets.
    const settings = await r.inventorySettings.get(now);
    await r.inventorySettings.update(
      settings.version,
      { default_place_id: null, barcode_mode: 'company_id', barcode_prefix: 'DEMO-', barcode_digits: 5 },
      now,
    );
    return { categories, places, tags, vendors };
  });
}

/**
 * The demo tenant's inventory (embedded default only): a few hundred devices across categories, places,
 * tags and vendors, created over the past 18 months through the same service code as the app, so the
 * numbers, barcodes and histories (assignments to demo employees, returns, status changes) are real.
 */
export async function seedDemoInventory(deps: DemoInventoryDeps, tenant: TenantRow): Promise<void> {
  const tenantId = String(tenant.id);
  const organizationId = String(tenant.organization_id);
  const end = deps.clock.now().getTime();
  let at = end - 540 * DAY;
  // The service code reads this clock: each event happens at the time the timeline below sets.
  const clock: Clock = { now: () => new Date(at) };
  const serviceDeps = { repos: deps.repos, clock, directoryCache: deps.directoryCache };
  const call: DeviceCall = {
    actor: {
      userId: 'system',
      email: 'it@demo.thestorage.dev',
      name: 'Demo IT team',
      tenantId,
      organizationId,
      role: 'administrator',
      isPlatformAdmin: false,
    },
    requestId: 'demo-setup',
  };
  const catalog = await seedCatalog(deps.repos, tenantId, clock.now());
  const employees = await deps.repos.forTenant(tenantId).transaction((r) =>
    r.directoryConnections.employeeReferences(
      deps.linkKeys,
      organizationId,
      demoDirectoryUsers()
        .filter((u) => u.accountEnabled)
        .slice(0, 160)
        .map((u) => `${DEMO_DIRECTORY_TENANT_ID}:${u.id}`),
    ),
  );
  const rng = random(20261207);
  const start = at;
  const step = (end - start) / (DEMO_DEVICE_COUNT + 1);
  for (let i = 0; i < DEMO_DEVICE_COUNT; i++) {
    // Each device has its own timeline: bought, handed out a few days later, maybe returned or changed.
    let when = start + (i + rng.next()) * step;
    at = when;
    const model = MODELS[i % MODELS.length]!;
    const category = catalog.categories.get(model.category)!;
    const bought = new Date(when).toISOString().slice(0, 10);
    const attributes = Object.fromEntries(
      Object.entries(model.attributes ?? {}).map(([name, value]) => [category.attributes.get(name)!, value]),
    );
    let device = await createDevice(serviceDeps, call, {
      name: model.name,
      serial: `${model.vendor.slice(0, 2).toUpperCase()}${(7_340_000 + i * 37).toString(36).toUpperCase()}`,
      categoryId: category.id,
      attributes,
      vendorId: catalog.vendors.get(model.vendor)!,
      price: model.price,
      currency: 'EUR',
      invoiceNumber: `INV-${2025_000 + Math.floor(i / 4)}`,
      invoiceDate: bought,
      warrantyEnd: new Date(when + (model.category === 'Accessories' ? 365 : 3 * 365) * DAY)
        .toISOString()
        .slice(0, 10),
      tagIds: rng.next() < 0.15 ? [rng.pick(catalog.tags)] : [],
    });
    const roll = rng.next();
    const later = (days: number) => {
      when += days * DAY;
      at = Math.min(when, end);
      return when < end;
    };
    // A few stay with IT, New; most go to an employee, some to a place.
    if (roll < 0.08 || !later(1 + rng.next() * 4)) continue;
    const assignee: AssigneeInput =
      roll < 0.82
        ? { kind: 'employee', reference: employees[i % employees.length]! }
        : { kind: 'place', placeId: rng.pick(catalog.places) };
    device = await assignDevice(serviceDeps, call, device.id, assignee, device.version);
    if (rng.next() < 0.12 && later(20 + rng.next() * 60)) {
      device = await assignDevice(serviceDeps, call, device.id, { kind: 'it' }, device.version);
    }
    if (rng.next() < 0.1 && later(5 + rng.next() * 30)) {
      await updateDevice(serviceDeps, call, device.id, {
        status: rng.pick(LATER_STATUSES),
        version: device.version,
      });
    }
  }
  deps.logger.info({ tenant: tenant.slug, devices: DEMO_DEVICE_COUNT }, 'seeded the demo inventory');
}
