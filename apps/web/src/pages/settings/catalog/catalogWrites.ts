import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorCode } from '@thestorage/contracts';
import { useState } from 'react';
import type { z } from 'zod';
import {
  type CatalogList,
  catalogDeletePath,
  catalogEntryPath,
  catalogListKey,
  catalogListPath,
  devicesInTheWayOf,
  isLimitReached,
} from '../../../api/catalog';
import { ApiError } from '../../../api/client';
import { useApiWrite } from '../../../api/session';

/** What every entry of the four lists has. */
export interface CatalogEntry {
  id: string;
  name: string;
  deviceCount: number;
  version: number;
}

const isNotFound = (error: unknown) => error instanceof ApiError && error.code === ErrorCode.NotFound;

function useInvalidate(list: CatalogList, related: readonly QueryKey[]) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [catalogListKey(list), ...related].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
    );
}

interface WriteOptions<E extends CatalogEntry> {
  list: CatalogList;
  /** The entry being edited; null to add a new one. */
  entry: E | null;
  /** Other queries that change with this list (places → the default place of the inventory settings). */
  related?: readonly QueryKey[];
}

/**
 * Adds (POST) or edits (PATCH with the version read) one entry; the list is read again after a save. A
 * stale edit is not reloaded behind the person's back: the form offers Reload (DEV-6).
 */
export function useSaveEntry<E extends CatalogEntry, S extends z.ZodType>(
  { list, entry, related = [] }: WriteOptions<E>,
  schema: S,
  onSaved: (saved: z.infer<S>) => void,
) {
  const api = useApiWrite();
  const invalidate = useInvalidate(list, related);
  return useMutation({
    mutationFn: (body: object) =>
      entry
        ? api.patch(catalogEntryPath(list, entry.id), { ...body, version: entry.version }, schema)
        : api.post(catalogListPath(list), body, schema),
    onSuccess: async (saved) => {
      await invalidate();
      onSaved(saved);
    },
    onError: async (error) => {
      // The list no longer matches the server: the limit was reached, or the entry is gone.
      if (isLimitReached(error) || isNotFound(error)) await invalidate();
    },
  });
}

/** Deletes one entry with the version read; a refusal because devices use it shows their current count. */
export function useDeleteEntry<E extends CatalogEntry>(
  { list, entry, related = [] }: WriteOptions<E>,
  onDeleted: () => void,
) {
  const api = useApiWrite();
  const invalidate = useInvalidate(list, related);
  return useMutation({
    mutationFn: async () => {
      if (!entry) return;
      try {
        await api.remove(catalogDeletePath(list, entry.id, entry.version));
      } catch (error) {
        // Someone else deleted it first: it is gone either way.
        if (!isNotFound(error)) throw error;
      }
    },
    onSuccess: async () => {
      await invalidate();
      onDeleted();
    },
    onError: async (error) => {
      if (devicesInTheWayOf(error) !== undefined) await invalidate();
    },
  });
}

/**
 * The entry a modal works on. Reload reads the list again and puts the current version of the entry in
 * the modal (or closes it and says so when someone deleted it meanwhile). `readList` throws when the
 * list could not be read, so an old copy is never taken for the current one.
 */
export function useEntryInModal<E extends CatalogEntry>(readList: () => Promise<readonly E[]>) {
  const [state, setState] = useState<{ entry: E | null; reloaded: boolean } | null>(null);
  const [reloading, setReloading] = useState(false);
  const [reloadError, setReloadError] = useState<unknown>(null);
  const [removedName, setRemovedName] = useState<string | null>(null);

  const show = (entry: E | null) => {
    setRemovedName(null);
    setReloadError(null);
    setState({ entry, reloaded: false });
  };

  const reload = async () => {
    const current = state?.entry;
    if (!current) return;
    setReloading(true);
    setReloadError(null);
    try {
      const fresh = (await readList()).find((e) => e.id === current.id);
      if (fresh) {
        setState({ entry: fresh, reloaded: true });
      } else {
        setState(null);
        setRemovedName(current.name);
      }
    } catch (error) {
      setReloadError(error);
    } finally {
      setReloading(false);
    }
  };

  return {
    opened: state !== null,
    entry: state?.entry ?? null,
    /** The entry shown is the current version, read by Reload. */
    reloaded: state?.reloaded ?? false,
    openNew: () => show(null),
    open: (entry: E) => show(entry),
    close: () => {
      setReloadError(null);
      setState(null);
    },
    reload,
    reloading,
    reloadError,
    /** The name of an entry that Reload found deleted, for the page to say so. */
    removedName,
    dismissRemoved: () => setRemovedName(null),
  };
}

export type EntryInModal<E extends CatalogEntry> = ReturnType<typeof useEntryInModal<E>>;

/** Reads a list query again for Reload; a failed read throws instead of answering with the old copy. */
export async function readAgain<E>(
  refetch: () => Promise<{ data?: readonly E[]; error: unknown; isError: boolean }>,
) {
  const result = await refetch();
  if (result.isError || !result.data) throw result.error;
  return result.data;
}
