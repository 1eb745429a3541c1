import { useMemo, useState } from 'react';
import { z } from 'zod';

/** What the device cards and rows need to show and change whether a device is selected. */
export interface SelectableDevices {
  isSelected(id: string): boolean;
  toggle(id: string): void;
}

const storedSelectionSchema = z.object({
  active: z.boolean(),
  ids: z.array(z.string().max(36)).max(10_000),
});
type StoredSelection = z.infer<typeof storedSelectionSchema>;

const NOTHING_SELECTED: StoredSelection = { active: false, ids: [] };

/** Per tenant: a selection made in one tenant never prints labels in another after a tenant switch. */
const storageKey = (tenantId: string) => `thestorage.device-selection.${tenantId}`;

// Session storage may be unavailable (privacy settings) or hold anything: both read as no selection.
function read(key: string): StoredSelection {
  try {
    const parsed = storedSelectionSchema.safeParse(JSON.parse(sessionStorage.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : NOTHING_SELECTED;
  } catch {
    return NOTHING_SELECTED;
  }
}

function write(key: string, selection: StoredSelection) {
  try {
    if (selection.active || selection.ids.length > 0) sessionStorage.setItem(key, JSON.stringify(selection));
    else sessionStorage.removeItem(key);
  } catch {
    // Without storage the selection still lives as long as the page.
  }
}

/**
 * DEV-10: the devices picked for labels. The selection outlives page changes, filters and a visit to a
 * device (session storage of this tab), in the order the devices were picked.
 */
export function useDeviceSelection(tenantId: string) {
  const key = storageKey(tenantId);
  const [state, setState] = useState(() => ({ key, ...read(key) }));
  const current = state.key === key ? state : { key, ...read(key) };
  const selected = useMemo(() => new Set(current.ids), [current.ids]);

  const update = (next: StoredSelection) => {
    write(key, next);
    setState({ key, ...next });
  };
  return {
    active: current.active,
    ids: current.ids,
    count: current.ids.length,
    isSelected: (id: string) => selected.has(id),
    toggle: (id: string) =>
      update({
        active: true,
        ids: selected.has(id) ? current.ids.filter((other) => other !== id) : [...current.ids, id],
      }),
    /** Selects (or unselects) every device of `ids`, e.g. those on this page. */
    setMany: (ids: readonly string[], select: boolean) => {
      const changing = new Set(ids);
      update({
        active: true,
        ids: select
          ? [...current.ids, ...ids.filter((id) => !selected.has(id))]
          : current.ids.filter((id) => !changing.has(id)),
      });
    },
    clear: () => update({ active: true, ids: [] }),
    start: () => update({ active: true, ids: current.ids }),
    /** Leaves selection mode and forgets the selection. */
    stop: () => update(NOTHING_SELECTED),
  };
}

export type DeviceSelection = ReturnType<typeof useDeviceSelection>;
