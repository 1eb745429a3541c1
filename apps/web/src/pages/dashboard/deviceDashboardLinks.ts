import type { DeviceDashboard, DeviceStatus } from '@thestorage/contracts';
import type { DeviceListSearch } from '../devices/deviceListSearch';

/** DASH-1: every figure opens the device list filtered to exactly the devices it counts. */
export const ALL_DEVICES: DeviceListSearch = {};

export function statusSearch(status: DeviceStatus): DeviceListSearch {
  return { status };
}

/** Risky devices: Missing, Damaged and EOL (DASH-1). */
export const RISKY_STATUSES = ['missing', 'damaged', 'eol'] as const satisfies readonly DeviceStatus[];
export const RISKY_DEVICES: DeviceListSearch = { status: RISKY_STATUSES.join(',') };

/**
 * Devices not with an employee or at a place. Today that is the IT department only: campaign stores, the
 * other unassigned holder, are not built yet (the list has no "with IT or in a store" filter).
 */
export const WITH_IT: DeviceListSearch = { assignee: 'it' };

/** Devices with an employee or at a place: the coverage gauge's numerator. */
export const ASSIGNED: DeviceListSearch = { assignee: 'assigned' };

export const WARRANTY_EXPIRING: DeviceListSearch = { warranty: 'expiring' };

/** Whole percent of devices assigned, rounded down so 100% means every device; null without devices. */
export function coveragePercent(coverage: DeviceDashboard['coverage']): number | null {
  if (coverage.total <= 0) return null;
  return Math.floor((coverage.assigned / coverage.total) * 100);
}

/** A device count as people read it: "1 device", "1,280 devices". */
export function devicesCount(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'device' : 'devices'}`;
}

/** The fill of a status in charts: its colour (DEV-3); EOL's black follows the text colour in dark mode. */
export function statusFill(color: string): string {
  return color === 'dark' ? 'var(--mantine-color-text)' : `var(--mantine-color-${color}-filled)`;
}
