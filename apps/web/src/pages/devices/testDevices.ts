import type {
  Category,
  Device,
  DeviceHistoryEvent,
  Employee,
  InventorySettings,
  Me,
  Place,
  Tag,
  UpdateDeviceRequest,
  Vendor,
} from '@thestorage/contracts';
import type { DeviceComment } from '../../api/devices';
import { meAs } from '../../test-support/people';
import { jsonFetch, problemAnswer, type RecordedRequest } from '../../test-support/render';

/** Test data for the device pages: a small in-memory devices API behind the page's fetch. */

export const CSRF = 'csrf-of-ada';
export const LENA_REF = 'a1'.repeat(32);
export const LAPTOP_ID = '0193b000-0000-7000-8000-00000000c001';
export const SCREEN_ID = 'attr-screen';
export const BERLIN_HQ_ID = '0193b000-0000-7000-8000-0000000a0001';
export const FINANCE_TAG_ID = '0193b000-0000-7000-8000-0000000b0001';
export const LENOVO_ID = '0193b000-0000-7000-8000-0000000d0001';
export const DEVICE_ID = '0193b000-0000-7000-8000-000000000108';

const stamp = { createdAt: '2030-01-15T10:00:00.000Z', updatedAt: '2030-01-15T10:00:00.000Z', version: 1 };

export const laptopCategory: Category = {
  id: LAPTOP_ID,
  name: 'Laptop',
  attributes: [
    { id: SCREEN_ID, name: 'Screen', type: 'number', prefix: '', suffix: 'in', required: true },
    { id: 'attr-bought', name: 'Bought', type: 'date', prefix: '', suffix: '', required: false },
  ],
  appendToName: true,
  deviceCount: 1,
  ...stamp,
};
export const berlinHq: Place = {
  id: BERLIN_HQ_ID,
  name: 'Berlin HQ',
  deviceCount: 0,
  isDefault: false,
  ...stamp,
};
export const financeTag: Tag = {
  id: FINANCE_TAG_ID,
  name: 'Finance',
  color: 'grape',
  deviceCount: 0,
  ...stamp,
};
export const lenovo: Vendor = { id: LENOVO_ID, name: 'Lenovo', website: null, deviceCount: 0, ...stamp };
export const settings: InventorySettings = {
  defaultPlaceId: null,
  barcodeMode: 'asset_id',
  barcodePrefix: '',
  barcodeDigits: 6,
  invoiceManagement: true,
  customInvoiceData: true,
  invoiceUploads: true,
  invoiceManagementInPlan: true,
  version: 1,
};

export const lena: Employee = {
  reference: LENA_REF,
  displayName: 'Lena Fischer',
  userName: 'lena.fischer@demo.thestorage.dev',
  jobTitle: 'Account Manager',
  active: true,
  deviceCount: 2,
};

export function device(overrides: Partial<Device> = {}): Device {
  return {
    id: DEVICE_ID,
    number: 108,
    name: 'ThinkPad X1',
    displayName: 'ThinkPad X1',
    serial: 'SN-108',
    category: null,
    attributes: {},
    status: 'new',
    assignee: { kind: 'it' },
    barcode: null,
    price: null,
    currency: null,
    convertedPrice: null,
    vendor: null,
    invoiceNumber: null,
    invoiceDate: null,
    poExtension: null,
    warrantyEnd: null,
    warrantyState: 'unknown',
    invoiceSettings: { management: true, customData: true, uploads: true },
    invoiceFile: null,
    image: null,
    tags: [],
    ...stamp,
    ...overrides,
  };
}

/** A price in US dollars, converted into the default currency (euros) at the ECB rate of Jan 14, 2030. */
export const usdPrice: Pick<Device, 'price' | 'currency' | 'convertedPrice'> = {
  price: '1299.99',
  currency: 'USD',
  convertedPrice: {
    amount: '1235.38',
    currency: 'EUR',
    rate: '0.950299',
    rateDate: '2030-01-14',
    source: 'ecb',
  },
};

/** `count` devices numbered from `from` ("Laptop 1", "Laptop 2", …), for pages of a list. */
export function manyDevices(count: number, from: number): Device[] {
  return Array.from({ length: count }, (_, i) =>
    device({
      id: `0193b000-0000-7000-8000-${String(from + i).padStart(12, '0')}`,
      number: from + i,
      name: `Laptop ${from + i}`,
      displayName: `Laptop ${from + i}`,
    }),
  );
}

export function historyEvent(overrides: Partial<DeviceHistoryEvent>): DeviceHistoryEvent {
  return {
    id: `e-${Math.random().toString(36).slice(2)}`,
    type: 'created',
    occurredAt: '2030-01-15T10:00:00.000Z',
    actor: { name: 'Ada Admin', email: 'ada.admin@demo.thestorage.dev' },
    changes: [],
    employee: null,
    ...overrides,
  };
}

export function comment(overrides: Partial<DeviceComment> = {}): DeviceComment {
  return {
    id: `c-${Math.random().toString(36).slice(2)}`,
    body: 'Screen flickers',
    authorEmail: 'ada.admin@demo.thestorage.dev',
    createdAt: '2030-01-16T09:30:00.000Z',
    ...overrides,
  };
}

/** The start of every PDF the fake server sends for labels. */
export const PDF_MAGIC = '%PDF-1.7';

export interface DevicesServerOptions {
  me?: Me;
  devices?: Device[];
  history?: DeviceHistoryEvent[];
  /** The device's comments, newest first; a comment sent is added in front. */
  comments?: DeviceComment[];
  /** Refuse every labels request with this problem. */
  labelsProblem?: { status: number; code: string; message: string };
  /** Answers of the list, by cursor ('' for the first page); default: every device on one page. */
  pages?: Record<
    string,
    { devices: Device[]; nextCursor: string | null; total: number; totalCapped: boolean }
  >;
}

const pathOf = (request: RecordedRequest) => new URL(request.path, 'https://app.test');

/** The devices API the pages talk to, kept in memory: what a page changes is what it reads back. */
export function devicesServer(options: DevicesServerOptions = {}) {
  const devices = new Map((options.devices ?? [device()]).map((d) => [d.id, d]));
  const history = options.history ?? [];
  const comments = options.comments ?? [];
  const fetchImpl = jsonFetch({
    '/api/v1/me': { body: options.me ?? meAs('administrator', { csrfToken: CSRF }) },
    'GET /api/v1/categories': { body: { categories: [laptopCategory], limit: null } },
    'GET /api/v1/places': { body: { places: [berlinHq] } },
    'GET /api/v1/tags': { body: { tags: [financeTag] } },
    'GET /api/v1/vendors': { body: { vendors: [lenovo] } },
    'GET /api/v1/inventory-settings': { body: settings },
    'GET /api/v1/employees': (request) => {
      const search = (pathOf(request).searchParams.get('search') ?? '').toLowerCase();
      return { body: { employees: lena.displayName?.toLowerCase().includes(search) ? [lena] : [] } };
    },
    'POST /api/v1/employees/resolve': () => ({
      body: {
        employees: [
          {
            reference: LENA_REF,
            known: true,
            displayName: 'Lena Fischer',
            userName: lena.userName,
            jobTitle: null,
            active: true,
          },
        ],
      },
    }),
    'GET /api/v1/devices': (request) => {
      const cursor = pathOf(request).searchParams.get('cursor') ?? '';
      const page = options.pages?.[cursor];
      if (page) return { body: page };
      const all = [...devices.values()];
      return { body: { devices: all, nextCursor: null, total: all.length, totalCapped: false } };
    },
    'POST /api/v1/devices': (request) => {
      const body = request.body as { name: string; serial?: string };
      if (body.serial === 'TAKEN') {
        return problemAnswer(
          409,
          'conflict',
          'Another device of this tenant already has this serial number',
          {
            field: 'serial',
          },
        );
      }
      const created = device({
        id: '0193b000-0000-7000-8000-000000000109',
        number: 109,
        name: body.name,
        displayName: body.name,
      });
      devices.set(created.id, created);
      return { body: created };
    },
  });
  // Routes of single devices, answered from the map.
  const single = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'https://app.test');
    const match = /^\/api\/v1\/devices\/([^/]+)(\/[a-z]+)?$/.exec(url.pathname);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (!match || match[1] === undefined) return fetchImpl(input, init);
    const id = decodeURIComponent(match[1]);
    const current = devices.get(id);
    const sub = match[2] ?? '';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    fetchImpl.requests.push({
      method,
      path: url.pathname + url.search,
      headers: new Headers(init?.headers),
      body: init?.body ? body : undefined,
    });
    const json = (status: number, value: unknown) =>
      new Response(JSON.stringify(value), {
        status,
        headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
      });
    const problem = (status: number, code: string, message: string, details?: unknown) => {
      const answer = problemAnswer(status, code, message, details);
      return json(status, answer.body);
    };
    if (method === 'POST' && id === 'labels' && sub === '') {
      if (options.labelsProblem) {
        const { status, code, message } = options.labelsProblem;
        return problem(status, code, message);
      }
      const ids = body.deviceIds as string[];
      if (!ids.every((one) => devices.has(one))) return problem(404, 'not_found', 'Device not found');
      const pdf = `${PDF_MAGIC}\n% ${ids.length} ${String(body.format)} labels\n%%EOF\n`;
      return new Response(pdf, {
        status: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': 'attachment; filename="device-labels.pdf"',
        },
      });
    }
    if (!current) return problem(404, 'not_found', 'Device not found.');
    const stale = () =>
      problem(409, 'modified_by_someone_else', 'Modified by someone else: reload to see their changes');
    const save = (next: Device) => {
      const saved = { ...next, version: current.version + 1 };
      devices.set(id, saved);
      return json(200, saved);
    };
    if (method === 'GET' && sub === '') return json(200, current);
    if (method === 'GET' && sub === '/history') return json(200, { events: history, nextBefore: null });
    if (method === 'PATCH' && sub === '') {
      const patch = body as UpdateDeviceRequest;
      if (patch.version !== current.version) return stale();
      if (patch.serial === 'TAKEN') {
        return problem(409, 'conflict', 'Another device of this tenant already has this serial number', {
          field: 'serial',
        });
      }
      if (patch.price === '12,50') {
        return problem(400, 'validation_failed', 'Check the price', [
          { path: 'price', message: 'A price like 1299 or 1299.90' },
        ]);
      }
      const { version: _version, ...fields } = patch;
      const name = fields.name ?? current.name;
      return save({ ...current, ...(fields as Partial<Device>), name, displayName: name });
    }
    if (method === 'POST' && sub === '/assign') {
      if (body.version !== current.version) return stale();
      const assignee = body.assignee as { kind: string };
      if (assignee.kind === 'employee') {
        return save({
          ...current,
          status: 'in_use',
          assignee: {
            kind: 'employee',
            reference: LENA_REF,
            employee: {
              reference: LENA_REF,
              known: true,
              displayName: 'Lena Fischer',
              userName: lena.userName,
              jobTitle: null,
              active: true,
            },
          },
        });
      }
      return save({ ...current, status: 'used', assignee: { kind: 'it' } });
    }
    if (method === 'POST' && sub === '/move') {
      if (body.version !== current.version) return stale();
      devices.delete(id);
      return json(200, current);
    }
    if (method === 'GET' && sub === '/comments') return json(200, { comments });
    if (method === 'POST' && sub === '/comments') {
      const added = comment({
        id: `c-${comments.length + 1}`,
        body: String(body.body),
        createdAt: new Date().toISOString(),
      });
      comments.unshift(added);
      return json(200, { id: added.id });
    }
    if (method === 'DELETE' && sub === '') {
      if (url.searchParams.get('version') !== String(current.version)) return stale();
      devices.delete(id);
      return new Response(null, { status: 204 });
    }
    return problem(404, 'not_found', 'Not found.');
  };
  return {
    fetchImpl: Object.assign(single, { requests: fetchImpl.requests }),
    requests: fetchImpl.requests,
    devices,
    /** Someone else saves the device behind the page's back. */
    editElsewhere(id: string, patch: Partial<Device>) {
      const current = devices.get(id)!;
      devices.set(id, { ...current, ...patch, version: current.version + 1 });
    },
  };
}

/** The requests the page sent with this method whose path starts with `prefix`. */
export function sent(requests: readonly RecordedRequest[], method: string, prefix: string) {
  return requests.filter((r) => r.method === method && r.path.startsWith(prefix));
}
