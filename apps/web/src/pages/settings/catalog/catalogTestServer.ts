import {
  type Category,
  categoryInputSchema,
  type InventorySettings,
  inventorySettingsUpdateSchema,
  type Place,
  placeInputSchema,
  type Role,
  type Tag,
  tagInputSchema,
  type Vendor,
  vendorInputSchema,
} from '@thestorage/contracts';
import type { z } from 'zod';
import { meAs } from '../../../test-support/people';
import {
  type Answer,
  answeringFetch,
  jsonFetch,
  problemAnswer,
  type RecordedRequest,
  staleProblem,
  validationProblem,
} from '../../../test-support/render';

/** DEV-1: the invoice switches as a new tenant has them (on, and in a trial's plan). */
export const invoiceSwitchesOn = {
  invoiceManagement: true,
  customInvoiceData: true,
  invoiceUploads: true,
  invoiceManagementInPlan: true,
};

export { problemAnswer };

export const CSRF = 'csrf-of-the-catalog-tests';
const AT = '2030-01-15T10:00:00.000Z';

const common = (id: string, name: string, deviceCount = 0) => ({
  id,
  name,
  deviceCount,
  createdAt: AT,
  updatedAt: AT,
  version: 1,
});

export const category = (id: string, name: string, extra: Partial<Category> = {}): Category => ({
  ...common(id, name),
  attributes: [],
  appendToName: false,
  ...extra,
});
export const place = (id: string, name: string, deviceCount = 0): Place => ({
  ...common(id, name, deviceCount),
  isDefault: false,
});
export const tag = (id: string, name: string, color: Tag['color'], deviceCount = 0): Tag => ({
  ...common(id, name, deviceCount),
  color,
});
export const vendor = (id: string, name: string, website: string | null = null): Vendor => ({
  ...common(id, name),
  website,
});

export interface CatalogState {
  categories: Category[];
  limit: number | null;
  places: Place[];
  tags: Tag[];
  vendors: Vendor[];
  settings: InventorySettings;
}

type ListName = 'categories' | 'places' | 'tags' | 'vendors';
type Entry = Category | Place | Tag | Vendor;

const NOUN: Record<ListName, string> = {
  categories: 'category',
  places: 'place',
  tags: 'tag',
  vendors: 'vendor',
};
const INPUT: Record<ListName, z.ZodType> = {
  categories: categoryInputSchema,
  places: placeInputSchema,
  tags: tagInputSchema,
  vendors: vendorInputSchema,
};

const devicesPhrase = (count: number) => `${count} ${count === 1 ? 'device' : 'devices'}`;

/**
 * The catalog API of the server in memory, with its rules: versions (DEV-6), names unique whatever the
 * case, the category limit, places and categories in use refused. What the pages change is what they read.
 */
export function catalogServer(initial: Partial<CatalogState> = {}, role: Role = 'administrator') {
  const state: CatalogState = {
    categories: [],
    limit: null,
    places: [],
    tags: [],
    vendors: [],
    settings: {
      defaultPlaceId: null,
      barcodeMode: 'disabled',
      barcodePrefix: '',
      barcodeDigits: 6,
      ...invoiceSwitchesOn,
      version: 1,
    },
    ...structuredClone(initial),
  };
  let made = 0;

  const listOf = (list: ListName) => state[list] as Entry[];
  const setList = (list: ListName, entries: Entry[]) => {
    (state as unknown as Record<ListName, Entry[]>)[list] = entries;
  };
  const listBody = (list: ListName): unknown => {
    if (list === 'categories') return { categories: state.categories, limit: state.limit };
    if (list === 'places') {
      return {
        places: state.places.map((p) => ({ ...p, isDefault: p.id === state.settings.defaultPlaceId })),
      };
    }
    return { [list]: listOf(list) };
  };
  const taken = (list: ListName, name: string, except?: string) =>
    listOf(list).some((e) => e.id !== except && e.name.toLowerCase() === name.trim().toLowerCase());
  const duplicate = (list: ListName) =>
    problemAnswer(409, 'conflict', `A ${NOUN[list]} with this name already exists`, { field: 'name' });

  function withAttributeIds(input: z.infer<typeof categoryInputSchema>, before?: Category) {
    return input.attributes.map((a) => {
      const kept = a.id && before?.attributes.some((b) => b.id === a.id);
      made += 1;
      return { ...a, id: kept ? a.id! : `attr-${made}` };
    });
  }

  function create(list: ListName, request: RecordedRequest): Answer {
    const parsed = INPUT[list].safeParse(request.body);
    if (!parsed.success) return validationProblem(parsed.error);
    const input = parsed.data as { name: string };
    if (list === 'categories' && state.limit !== null && state.categories.length >= state.limit) {
      return problemAnswer(
        403,
        'limit_reached',
        `Limit reached: the Free plan allows ${state.limit} categories`,
        { resource: 'categories', limit: state.limit },
      );
    }
    if (taken(list, input.name)) return duplicate(list);
    made += 1;
    const base = common(`${list}-${made}`, input.name.trim());
    const entry =
      list === 'categories'
        ? {
            ...base,
            ...(input as z.infer<typeof categoryInputSchema>),
            attributes: withAttributeIds(input as z.infer<typeof categoryInputSchema>),
          }
        : list === 'places'
          ? { ...base, isDefault: false }
          : { ...base, ...input, name: base.name };
    setList(list, [...listOf(list), entry as Entry]);
    return { body: entry };
  }

  function update(list: ListName, id: string, request: RecordedRequest): Answer {
    const current = listOf(list).find((e) => e.id === id);
    if (!current) return problemAnswer(404, 'not_found', `${NOUN[list]} not found`);
    const { version, ...rest } = request.body as { version: number };
    const parsed = INPUT[list].safeParse(rest);
    if (!parsed.success) return validationProblem(parsed.error);
    if (version !== current.version) return staleProblem(current.version);
    const input = parsed.data as { name: string };
    if (taken(list, input.name, id)) return duplicate(list);
    const next = {
      ...current,
      ...input,
      name: input.name.trim(),
      ...(list === 'categories'
        ? {
            attributes: withAttributeIds(input as z.infer<typeof categoryInputSchema>, current as Category),
          }
        : {}),
      version: current.version + 1,
    } as Entry;
    setList(
      list,
      listOf(list).map((e) => (e.id === id ? next : e)),
    );
    return { body: list === 'places' ? { ...next, isDefault: id === state.settings.defaultPlaceId } : next };
  }

  function remove(list: ListName, id: string, version: number): Answer {
    const current = listOf(list).find((e) => e.id === id);
    if (!current) return problemAnswer(404, 'not_found', `${NOUN[list]} not found`);
    if (version !== current.version) return staleProblem(current.version);
    if (list === 'places' && current.deviceCount > 0) {
      return problemAnswer(
        409,
        'conflict',
        `Reassign its ${devicesPhrase(current.deviceCount)} before deleting this place`,
        { deviceCount: current.deviceCount },
      );
    }
    if (list === 'categories' && current.deviceCount > 0) {
      return problemAnswer(
        409,
        'conflict',
        `${devicesPhrase(current.deviceCount)} use this category: change their category before deleting it`,
        { deviceCount: current.deviceCount },
      );
    }
    setList(
      list,
      listOf(list).filter((e) => e.id !== id),
    );
    if (list === 'places' && state.settings.defaultPlaceId === id) {
      state.settings = { ...state.settings, defaultPlaceId: null };
    }
    return { status: 204 };
  }

  function putSettings(request: RecordedRequest): Answer {
    const parsed = inventorySettingsUpdateSchema.safeParse(request.body);
    if (!parsed.success) return validationProblem(parsed.error);
    const { version, invoiceManagement, customInvoiceData, invoiceUploads, ...fields } = parsed.data;
    if (version !== state.settings.version) return staleProblem(state.settings.version);
    if (fields.defaultPlaceId && !state.places.some((p) => p.id === fields.defaultPlaceId)) {
      return problemAnswer(404, 'not_found', 'Place not found');
    }
    // A switch left out stays as it is, as on the server.
    const current = state.settings;
    state.settings = {
      ...current,
      ...fields,
      invoiceManagement: invoiceManagement ?? current.invoiceManagement,
      customInvoiceData: customInvoiceData ?? current.customInvoiceData,
      invoiceUploads: invoiceUploads ?? current.invoiceUploads,
      version: current.version + 1,
    };
    return { body: state.settings };
  }

  // Refusals a test asks for, answered instead of the next request with that method.
  const refusals = new Map<string, Answer>();

  function answer(request: RecordedRequest): Answer | undefined {
    const url = new URL(request.path, 'https://app.test');
    if (url.pathname === '/api/v1/inventory-settings') {
      if (request.method === 'GET') return { body: state.settings };
      if (request.method === 'PUT') return putSettings(request);
    }
    const match = /^\/api\/v1\/(categories|places|tags|vendors)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return undefined;
    const list = match[1] as ListName;
    const id = match[2] && decodeURIComponent(match[2]);
    if (!id && request.method === 'GET') return { body: listBody(list) };
    if (!id && request.method === 'POST') return create(list, request);
    if (id && request.method === 'PATCH') return update(list, id, request);
    if (id && request.method === 'DELETE') {
      const version = Number(url.searchParams.get('version'));
      if (!Number.isInteger(version) || version < 1) {
        return problemAnswer(400, 'validation_failed', 'A version is required');
      }
      return remove(list, id, version);
    }
    return undefined;
  }

  const fetchImpl = answeringFetch(
    (request) => {
      const refusal = refusals.get(request.method);
      refusals.delete(request.method);
      return refusal ?? answer(request);
    },
    jsonFetch({ '/api/v1/me': { body: meAs(role, { csrfToken: CSRF }) } }),
  );
  const { requests } = fetchImpl;

  return {
    fetchImpl,
    state,
    requests,
    /** The state-changing requests sent with this method. */
    sent: (method: string) => requests.filter((r) => r.method === method),
    /** How often a list or the settings were read. */
    reads: (path: string) => requests.filter((r) => r.method === 'GET' && r.path === path).length,
    /** The next request with this method is answered with `answer` (a refusal the page must show). */
    refuseNext(method: string, answer: Answer) {
      refusals.set(method, answer);
    },
    /** Someone else changes an entry behind the page's back: its version goes up. */
    changeBehindTheScenes(list: ListName, id: string, changes: Partial<Entry>) {
      setList(
        list,
        listOf(list).map((e) => (e.id === id ? ({ ...e, ...changes, version: e.version + 1 } as Entry) : e)),
      );
    },
    changeSettingsBehindTheScenes(changes: Partial<InventorySettings>) {
      state.settings = { ...state.settings, ...changes, version: state.settings.version + 1 };
    },
  };
}
