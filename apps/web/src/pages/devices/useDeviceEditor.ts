import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import type { Device, UpdateDeviceRequest } from '@thestorage/contracts';
import { useCallback, useRef, useState } from 'react';
import { safeErrorMessage } from '../../api/client';
import {
  DEVICES_KEY,
  deviceFieldErrorsOf,
  deviceQuery,
  deviceWrites,
  isStaleDevice,
} from '../../api/devices';
import { useApiWrite } from '../../api/session';

/** How the last save of one field went, shown beside it. */
export type FieldSaveState = { state: 'saving' } | { state: 'saved' } | { state: 'failed'; message: string };

export type DevicePatch = Omit<UpdateDeviceRequest, 'version'>;

/** After any write: the new device in place, and lists and history read again. */
export async function deviceWritten(queryClient: QueryClient, device: Device) {
  queryClient.setQueryData(deviceQuery(device.id).queryKey, device);
  await queryClient.invalidateQueries({
    queryKey: DEVICES_KEY,
    predicate: (query) => query.queryKey[1] !== 'detail',
  });
}

/**
 * DEV-6 inline editing: each field saves on its own (PATCH with the version the page holds). Saves run one
 * after another so the page's own edits never collide; a refusal because someone else saved first stops
 * editing until Reload, which shows their version and drops what was typed here.
 */
export function useDeviceEditor(id: string) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<Record<string, FieldSaveState>>({});
  const [stale, setStale] = useState(false);
  const [reloading, setReloading] = useState(false);
  /** Bumped by Reload: every field drops its draft. */
  const [generation, setGeneration] = useState(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const staleRef = useRef(false);

  const setField = useCallback(
    (field: string, state: FieldSaveState) => setFields((current) => ({ ...current, [field]: state })),
    [],
  );

  const save = useCallback(
    (field: string, patch: DevicePatch) => {
      setField(field, { state: 'saving' });
      queue.current = queue.current.then(async () => {
        const current = queryClient.getQueryData(deviceQuery(id).queryKey);
        if (!current || staleRef.current) {
          setField(field, { state: 'failed', message: 'Not saved: reload the device first.' });
          return;
        }
        try {
          const saved = await deviceWrites(api).update(id, { ...patch, version: current.version });
          await deviceWritten(queryClient, saved);
          setField(field, { state: 'saved' });
        } catch (error) {
          if (isStaleDevice(error)) {
            staleRef.current = true;
            setStale(true);
            setField(field, { state: 'failed', message: 'Not saved: modified by someone else.' });
            return;
          }
          const byField = deviceFieldErrorsOf(error);
          const message = byField[field] ?? Object.values(byField)[0] ?? safeErrorMessage(error);
          setField(field, { state: 'failed', message });
        }
      });
      return queue.current;
    },
    [api, id, queryClient, setField],
  );

  const reload = useCallback(async () => {
    setReloading(true);
    try {
      await queryClient.refetchQueries({ queryKey: deviceQuery(id).queryKey, exact: true });
      await queryClient.invalidateQueries({ queryKey: [...DEVICES_KEY, 'history', id] });
      staleRef.current = false;
      setStale(false);
      setFields({});
      setGeneration((g) => g + 1);
    } finally {
      setReloading(false);
    }
  }, [id, queryClient]);

  /** Another write of this page (assign, status from the delete dialog) was refused as stale. */
  const markStale = useCallback(() => {
    staleRef.current = true;
    setStale(true);
  }, []);

  return { fields, save, stale, markStale, reload, reloading, generation };
}

export type DeviceEditor = ReturnType<typeof useDeviceEditor>;
