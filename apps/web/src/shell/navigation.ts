import {
  type Icon,
  IconApps,
  IconBuildingStore,
  IconChecklist,
  IconDeviceLaptop,
  IconLayoutDashboard,
  IconSettings,
  IconShieldLock,
  IconUserCheck,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { Me } from '@thestorage/contracts';
import { activeRole, mayOpen, type PageAccess } from '../auth/access';

export type AppPath =
  | '/'
  | '/devices'
  | '/employees'
  | '/software'
  | '/audit'
  | '/store'
  | '/settings'
  | '/settings/users'
  | '/my-devices'
  | '/platform';

export interface NavEntry {
  to: AppPath;
  label: string;
  icon: Icon;
  access: PageAccess;
}

export interface NavSection {
  label: string | null;
  entries: readonly NavEntry[];
}

const inventoryEntries: readonly NavEntry[] = [
  { to: '/', label: 'Dashboard', icon: IconLayoutDashboard, access: 'inventory' },
  { to: '/devices', label: 'Devices', icon: IconDeviceLaptop, access: 'inventory' },
  { to: '/employees', label: 'Employees', icon: IconUsers, access: 'inventory' },
  { to: '/software', label: 'Software', icon: IconApps, access: 'inventory' },
  { to: '/audit', label: 'Audit', icon: IconChecklist, access: 'inventory' },
  { to: '/store', label: 'Store', icon: IconBuildingStore, access: 'inventory' },
];

export const myDevicesEntry: NavEntry = {
  to: '/my-devices',
  label: 'My devices',
  icon: IconUserCheck,
  access: 'self',
};

const footerEntries: readonly NavEntry[] = [
  { to: '/settings', label: 'Settings', icon: IconSettings, access: 'settings' },
  { to: '/settings/users', label: 'Users & Roles', icon: IconUsersGroup, access: 'members' },
  { to: '/platform', label: 'Platform console', icon: IconShieldLock, access: 'platform' },
];

/**
 * The sidebar for this person: the main section (inventory, or only "My devices" for employees) and the
 * foot section (settings, users, platform console), each entry shown only to roles that may open it.
 */
export function navigationFor(me: Me): { main: NavSection; footer: NavSection } {
  const footer = { label: null, entries: footerEntries.filter((entry) => mayOpen(me, entry.access)) };
  if (activeRole(me) === 'employee') return { main: { label: null, entries: [myDevicesEntry] }, footer };
  return {
    main: { label: 'Inventory', entries: inventoryEntries.filter((entry) => mayOpen(me, entry.access)) },
    footer,
  };
}

function matches(entry: AppPath, pathname: string): boolean {
  if (entry === '/') return pathname === '/';
  return pathname === entry || pathname.startsWith(`${entry}/`);
}

/** A section stays highlighted on its sub-pages (/devices/42 keeps Devices); the most specific entry wins. */
export function activeEntryPath(entries: readonly NavEntry[], pathname: string): AppPath | null {
  let best: AppPath | null = null;
  for (const { to } of entries) {
    if (matches(to, pathname) && (best === null || to.length > best.length)) best = to;
  }
  return best;
}
