import { queryOptions } from '@tanstack/react-query';
import {
  categoriesSchema,
  ErrorCode,
  inventorySettingsSchema,
  placesSchema,
  tagsSchema,
  vendorsSchema,
} from '@thestorage/contracts';
import { z } from 'zod';
import { ApiError, apiGet } from './client';

/** The tenant's inventory lists (DEV-2, DEV-11) and settings (DEV-4, DEV-10), under /api/v1. */
export type CatalogList = 'categories' | 'places' | 'tags' | 'vendors';

export function catalogListPath(list: CatalogList): string {
  return `/api/v1/${list}`;
}

/** PATCH an entry at this address; the body carries the version it was read at (DEV-6). */
export function catalogEntryPath(list: CatalogList, id: string): string {
  return `${catalogListPath(list)}/${encodeURIComponent(id)}`;
}

/** DELETE sends the version read as well, so a stale delete is refused like a stale edit. */
export function catalogDeletePath(list: CatalogList, id: string, version: number): string {
  return `${catalogEntryPath(list, id)}?${new URLSearchParams({ version: String(version) })}`;
}

/** The cache key of a list; writes invalidate it. */
export function catalogListKey(list: CatalogList): string[] {
  return ['catalog', list];
}

export const INVENTORY_SETTINGS_PATH = '/api/v1/inventory-settings';

// Not under ['me'] or ['tenant']: a tenant switch resets every query but `me`, and these belong to one tenant.
export const categoriesQuery = queryOptions({
  queryKey: catalogListKey('categories'),
  queryFn: ({ signal }) => apiGet(catalogListPath('categories'), categoriesSchema, { signal }),
});

export const placesQuery = queryOptions({
  queryKey: catalogListKey('places'),
  queryFn: ({ signal }) => apiGet(catalogListPath('places'), placesSchema, { signal }),
});

export const tagsQuery = queryOptions({
  queryKey: catalogListKey('tags'),
  queryFn: ({ signal }) => apiGet(catalogListPath('tags'), tagsSchema, { signal }),
});

export const vendorsQuery = queryOptions({
  queryKey: catalogListKey('vendors'),
  queryFn: ({ signal }) => apiGet(catalogListPath('vendors'), vendorsSchema, { signal }),
});

export const inventorySettingsQuery = queryOptions({
  queryKey: ['catalog', 'inventory-settings'],
  queryFn: ({ signal }) => apiGet(INVENTORY_SETTINGS_PATH, inventorySettingsSchema, { signal }),
});

/** DEV-6: the change was based on an older version and nothing was saved. */
export function isModifiedBySomeoneElse(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.ModifiedBySomeoneElse;
}

/** The plan allows no more of these (403 limit_reached); the message says which plan and limit. */
export function isLimitReached(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.LimitReached;
}

const nameConflictSchema = z.object({ field: z.literal('name') });
const inUseSchema = z.object({ deviceCount: z.number().int() });

/** "A place with this name already exists": the server's message for the name field, else undefined. */
export function nameConflictOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.code !== ErrorCode.Conflict) return undefined;
  return nameConflictSchema.safeParse(error.details).success ? error.message : undefined;
}

/** How many devices stand in the way of a delete (409 conflict with {deviceCount}), else undefined. */
export function devicesInTheWayOf(error: unknown): number | undefined {
  if (!(error instanceof ApiError) || error.code !== ErrorCode.Conflict) return undefined;
  const parsed = inUseSchema.safeParse(error.details);
  return parsed.success ? parsed.data.deviceCount : undefined;
}
