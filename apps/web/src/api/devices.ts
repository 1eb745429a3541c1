import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import {
  type AssigneeInput,
  type CreateDeviceRequest,
  type DEVICE_SORTS,
  type DeviceStatus,
  deviceCommentsSchema,
  deviceHistorySchema,
  devicePageSchema,
  deviceSchema,
  ErrorCode,
  type labelsRequestSchema,
  type Me,
  type UpdateDeviceRequest,
} from '@thestorage/contracts';
import { z } from 'zod';
import { ApiError, apiGet, fieldErrorsOf } from './client';
import type { ApiWrite } from './session';

/** Devices of the signed-in tenant (DEV-1, DEV-4…DEV-9), under /api/v1. */
export const DEVICES_PATH = '/api/v1/devices';

export type DeviceSort = (typeof DEVICE_SORTS)[number];
export type SortOrder = 'asc' | 'desc';
export const WARRANTY_FILTERS = ['valid', 'expiring', 'expired', 'unknown'] as const;
export type WarrantyFilter = (typeof WARRANTY_FILTERS)[number];

/** What one page of the device list asks for; empty filters are left out of the address. */
export interface DeviceListParams {
  search?: string;
  categoryId?: string;
  statuses?: readonly DeviceStatus[];
  tagId?: string;
  /** `employee:<reference>`, `place:<id>`, `it` or `store`, as the server takes it. */
  assignee?: string;
  /** `expiring` = the warranty ends within the next 90 days. */
  warranty?: WarrantyFilter;
  sort: DeviceSort;
  order: SortOrder;
  limit: number;
  cursor?: string;
}

export function deviceListPath(params: DeviceListParams): string {
  const query = new URLSearchParams();
  if (params.search) query.set('search', params.search);
  if (params.categoryId) query.set('categoryId', params.categoryId);
  if (params.statuses?.length) query.set('status', params.statuses.join(','));
  if (params.tagId) query.set('tagId', params.tagId);
  if (params.assignee) query.set('assignee', params.assignee);
  if (params.warranty) query.set('warranty', params.warranty);
  query.set('sort', params.sort);
  query.set('order', params.order);
  query.set('limit', String(params.limit));
  if (params.cursor) query.set('cursor', params.cursor);
  return `${DEVICES_PATH}?${query}`;
}

/** DEV-13: the address of the filtered list as a CSV or XLSX download (every page, the list's order). */
export function deviceExportPath(
  params: Omit<DeviceListParams, 'limit' | 'cursor'>,
  format: 'csv' | 'xlsx',
): string {
  const query = new URLSearchParams(deviceListPath({ ...params, limit: 1 }).split('?')[1]);
  query.delete('limit');
  query.set('format', format);
  return `${DEVICES_PATH}/export?${query}`;
}

export function devicePath(id: string): string {
  return `${DEVICES_PATH}/${encodeURIComponent(id)}`;
}

/** Every query of this feature starts with this key: a write refreshes lists and details at once. */
export const DEVICES_KEY = ['devices'] as const;

/** The queries that list or count many devices (lists, the dashboard): a device leaving changes them. */
export function countsDevices(query: { queryKey: readonly unknown[] }): boolean {
  return query.queryKey[1] === 'list' || query.queryKey[1] === 'dashboard';
}

export function deviceListQuery(params: DeviceListParams) {
  return queryOptions({
    queryKey: [...DEVICES_KEY, 'list', params],
    queryFn: ({ signal }) => apiGet(deviceListPath(params), devicePageSchema, { signal }),
  });
}

export function deviceQuery(id: string) {
  return queryOptions({
    queryKey: [...DEVICES_KEY, 'detail', id],
    queryFn: ({ signal }) => apiGet(devicePath(id), deviceSchema, { signal }),
  });
}

/** The device history, newest first (DEV-5), a page of 50 at a time going back with `before`. */
export const HISTORY_PAGE_SIZE = 50;

export function deviceHistoryQuery(id: string) {
  return infiniteQueryOptions({
    queryKey: [...DEVICES_KEY, 'history', id],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
      if (pageParam !== undefined) query.set('before', String(pageParam));
      return apiGet(`${devicePath(id)}/history?${query}`, deviceHistorySchema, { signal });
    },
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    staleTime: 0,
  });
}

export type DeviceComment = z.infer<typeof deviceCommentsSchema>['comments'][number];

/** A device's comments, newest first (DEV-1); the server sends the latest 100. */
export function deviceCommentsQuery(id: string) {
  return queryOptions({
    queryKey: [...DEVICES_KEY, 'comments', id],
    queryFn: ({ signal }) => apiGet(`${devicePath(id)}/comments`, deviceCommentsSchema, { signal }),
  });
}

const commentAnswerSchema = z.object({ id: z.string() });

/** DEV-10: what a label carries its value as. */
export type LabelFormat = z.infer<typeof labelsRequestSchema>['format'];
/** The most labels one request may ask for (the server's labelsRequestSchema says the same). */
export { MAX_LABELS } from '@thestorage/contracts';
export const LABELS_FILE_NAME = 'device-labels.pdf';

/** The device writes, each carrying the version it was based on (DEV-6) and the session's CSRF token. */
export function deviceWrites(api: ApiWrite) {
  return {
    create: (body: CreateDeviceRequest) => api.post(DEVICES_PATH, body, deviceSchema),
    update: (id: string, body: UpdateDeviceRequest) => api.patch(devicePath(id), body, deviceSchema),
    assign: (id: string, assignee: AssigneeInput, version: number) =>
      api.post(`${devicePath(id)}/assign`, { assignee, version }, deviceSchema),
    move: (id: string, body: { tenantId: string; keepBarcode: boolean; version: number }) =>
      api.post(`${devicePath(id)}/move`, body, deviceSchema),
    remove: (id: string, version: number) =>
      api.remove(`${devicePath(id)}?${new URLSearchParams({ version: String(version) })}`),
    comment: (id: string, body: string) =>
      api.post(`${devicePath(id)}/comments`, { body }, commentAnswerSchema),
    /** DEV-10: a PDF of labels (24 per A4 page) in the order of `deviceIds`; it changes nothing. */
    labels: (deviceIds: readonly string[], format: LabelFormat) =>
      api.postForFile(`${DEVICES_PATH}/labels`, { deviceIds, format }, 'application/pdf'),
  };
}

/** DEV-6: the write was based on an older version and nothing was saved. */
export function isStaleDevice(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.ModifiedBySomeoneElse;
}

export function isDeviceGone(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

const conflictDetailsSchema = z.object({ field: z.string() });

/**
 * What a refused write says about single fields: validation details ({path, message}[]) and a taken
 * serial number or barcode (409 conflict with {field}), keyed by field name.
 */
export function deviceFieldErrorsOf(error: unknown): Record<string, string> {
  const errors = fieldErrorsOf(error);
  if (error instanceof ApiError && error.code === ErrorCode.Conflict) {
    const details = conflictDetailsSchema.safeParse(error.details);
    if (details.success) errors[details.data.field] = error.message;
  }
  return errors;
}

/**
 * DEV-7: the tenants a device may move to: the other tenants of the same organization where the signed-in
 * person is an Administrator (the server checks again).
 */
export function moveTargetsOf(me: Me): Me['tenants'] {
  const active = me.activeTenant;
  if (!active) return [];
  return me.tenants.filter(
    (tenant) =>
      tenant.id !== active.id &&
      tenant.role === 'administrator' &&
      tenant.organizationName === active.organizationName,
  );
}
