import { DEVICE_SORTS, DEVICE_STATUSES, type DeviceStatus } from '@thestorage/contracts';
import {
  type DeviceListParams,
  type DeviceSort,
  type SortOrder,
  WARRANTY_FILTERS,
  type WarrantyFilter,
} from '../../api/devices';

/** The page sizes the list offers (DEV-9). */
export const PAGE_SIZES = [10, 20, 50] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export type DeviceView = 'cards' | 'list';

/**
 * The list's state in the address, so a reload, a bookmark or a shared link shows the same devices the same
 * way. Defaults are left out of the address.
 */
export interface DeviceListSearch {
  view?: 'list';
  q?: string;
  category?: string;
  /** Statuses, comma-separated. */
  status?: string;
  tag?: string;
  /** `employee:<reference>`, `place:<id>`, `it` or `store`. */
  assignee?: string;
  warranty?: WarrantyFilter;
  sort?: DeviceSort;
  order?: SortOrder;
  size?: PageSize;
}

export const DEFAULT_SORT: DeviceSort = 'number';
export const DEFAULT_ORDER: SortOrder = 'desc';
export const DEFAULT_PAGE_SIZE: PageSize = 20;

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;

const ASSIGNEE_FILTER = /^(employee:[0-9a-f]{64}|place:[0-9a-f-]{36}|it|store|assigned)$/;
const ID = /^[0-9a-f-]{36}$/;

export function statusesOf(search: DeviceListSearch): DeviceStatus[] {
  return (search.status ?? '')
    .split(',')
    .filter((part): part is DeviceStatus => (DEVICE_STATUSES as readonly string[]).includes(part));
}

/** Reads the address leniently: an unknown value falls back to the default instead of an error page. */
export function parseDeviceListSearch(raw: Record<string, unknown>): DeviceListSearch {
  const size = Number(raw.size);
  const status = statusesOf({ status: typeof raw.status === 'string' ? raw.status : undefined });
  const id = (value: unknown) => {
    const candidate = text(value, 36);
    return candidate && ID.test(candidate) ? candidate : undefined;
  };
  const assignee = text(raw.assignee, 80);
  // Every key is set, even to undefined: the router keeps raw values of keys left out.
  return {
    view: raw.view === 'list' ? 'list' : undefined,
    q: text(raw.q, 100),
    category: id(raw.category),
    status: status.length ? status.join(',') : undefined,
    tag: id(raw.tag),
    assignee: assignee && ASSIGNEE_FILTER.test(assignee) ? assignee : undefined,
    warranty: (WARRANTY_FILTERS as readonly unknown[]).includes(raw.warranty)
      ? (raw.warranty as WarrantyFilter)
      : undefined,
    sort: (DEVICE_SORTS as readonly unknown[]).includes(raw.sort) ? (raw.sort as DeviceSort) : undefined,
    order: raw.order === 'asc' || raw.order === 'desc' ? raw.order : undefined,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : undefined,
  };
}

/** The request for the first page of what the address shows. */
export function listParamsOf(search: DeviceListSearch): DeviceListParams {
  const statuses = statusesOf(search);
  return {
    search: search.q,
    categoryId: search.category,
    statuses: statuses.length ? statuses : undefined,
    tagId: search.tag,
    assignee: search.assignee,
    warranty: search.warranty,
    sort: search.sort ?? DEFAULT_SORT,
    order: search.order ?? DEFAULT_ORDER,
    limit: search.size ?? DEFAULT_PAGE_SIZE,
  };
}

/** Everything a "Clear filters" resets. */
export const NO_FILTERS: Partial<DeviceListSearch> = {
  q: undefined,
  category: undefined,
  status: undefined,
  tag: undefined,
  assignee: undefined,
  warranty: undefined,
};

/** Whether any filter narrows the list (sorting and page size do not). */
export function isFiltered(search: DeviceListSearch): boolean {
  return Boolean(
    search.q || search.category || search.status || search.tag || search.assignee || search.warranty,
  );
}
